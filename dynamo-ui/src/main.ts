// Entry point: builds the header and the views, follows the hash route, starts polling.

import { createHeader, ROUTES, type Route } from './header';
import { Poller } from './poller';
import { Store } from './state';
import { membersView } from './views/members';
import { operationsView } from './views/operations';
import { repairView } from './views/repair';
import { ringView } from './views/ring';
import { trafficView } from './views/traffic';
import type { View, ViewContext } from './views/view';

const FACTORIES: Record<Route, (ctx: ViewContext) => View> = {
  ring: ringView,
  members: membersView,
  repair: repairView,
  traffic: trafficView,
  operations: operationsView,
};

function routeOf(hash: string): Route | null {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return ROUTES.some(([r]) => r === name) ? (name as Route) : null;
}

function start(): void {
  const store = new Store();
  const poller = new Poller(store);
  const ctx: ViewContext = { store, poller };
  const header = createHeader();
  const main = document.createElement('main');
  main.className = 'content';
  main.id = 'content';
  document.body.replaceChildren(header.el, main);

  const views = new Map<Route, View>();
  let current: Route = 'ring';

  function viewFor(route: Route): View {
    let view = views.get(route);
    if (!view) {
      view = FACTORIES[route](ctx);
      views.set(route, view);
    }
    return view;
  }

  function show(): void {
    const route = routeOf(location.hash);
    if (route === null) {
      history.replaceState(null, '', '#/ring');
    }
    current = route ?? 'ring';
    header.setRoute(current);
    const view = viewFor(current);
    main.replaceChildren(view.el);
    main.dataset['view'] = current;
    view.update();
  }

  store.subscribe(() => {
    header.update(store);
    viewFor(current).update();
  });
  window.addEventListener('hashchange', show);
  show();
  header.update(store);
  poller.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
