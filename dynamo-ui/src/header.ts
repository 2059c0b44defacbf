// The header on every view: cluster, serving node, ring epoch, health summary, time of the last
// refresh, navigation; and the red banner while the node is not answering.

import { fill, h } from './dom';
import { fmtClock } from './format';
import { healthParts } from './model';
import type { Store } from './state';

export const ROUTES = [
  ['ring', 'Ring'],
  ['members', 'Members'],
  ['repair', 'Repair'],
  ['traffic', 'Traffic'],
  ['operations', 'Operations'],
] as const;

export type Route = (typeof ROUTES)[number][0];

export interface Header {
  readonly el: HTMLElement;
  update(store: Store): void;
  setRoute(route: Route): void;
}

export function createHeader(): Header {
  const name = h('span', { class: 'cluster-name', 'data-testid': 'cluster-name' }, 'dynamo');
  const servedBy = h('span', { class: 'meta', 'data-testid': 'served-by' });
  const epoch = h('span', { class: 'meta', 'data-testid': 'epoch' });
  const health = h('div', { class: 'health', 'data-testid': 'health' });
  const updated = h('span', { class: 'updated', 'data-testid': 'updated', 'data-ok': 'false' }, 'connecting…');
  const banner = h('div', { class: 'banner', 'data-testid': 'banner', role: 'alert', hidden: true });
  const links = ROUTES.map(([route, label]) =>
    h('a', { href: `#/${route}`, class: 'tab', 'data-route': route, 'data-testid': `nav-${route}` }, label));

  const el = h('div', { class: 'page-head' },
    h('header', { class: 'topbar' },
      h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }), name),
      servedBy, epoch,
      h('div', { class: 'spacer' }),
      health,
      updated),
    h('nav', { class: 'tabs', 'aria-label': 'Views' }, links),
    banner);

  return {
    el,
    setRoute(route) {
      for (const link of links) {
        if (link.dataset['route'] === route) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    update(store) {
      const c = store.cluster;
      if (c) {
        fill(name, c.cluster);
        fill(servedBy, 'served by ', h('strong', null, c.served_by));
        fill(epoch, 'ring epoch ', h('strong', null, String(c.ring.epoch)));
        fill(health, healthParts(c).flatMap((part, i) => [
          i > 0 ? h('span', { class: 'sep', 'aria-hidden': 'true' }, '·') : null,
          h('span', { class: `health-part tone-${part.tone}` }, part.text),
        ]));
        document.title = `${c.cluster} · dynamo`;
      }
      const ok = store.ok;
      updated.setAttribute('data-ok', String(ok && store.lastOkAt !== null));
      fill(updated, h('span', { class: 'dot', 'aria-hidden': 'true' }),
        store.lastOkAt === null ? (ok ? 'connecting…' : 'no answer yet') : `updated ${fmtClock(store.lastOkAt)}`);
      const since = store.failingSince;
      banner.hidden = since === null;
      if (since !== null) {
        const node = store.cluster?.served_by ?? 'Node';
        fill(banner, h('strong', null, `${node} not answering since ${fmtClock(since)}`),
          h('span', null, ` — ${store.failureMessage ?? 'no answer'}. The data below is the last received; retrying every 2 s.`));
      }
      document.body.classList.toggle('is-stale', since !== null);
    },
  };
}
