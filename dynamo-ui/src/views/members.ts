// #/members: one row per member, with each member's failure-detector view of its peers as the
// last columns (together they form the matrix: rows are observers, columns are peers).

import { card, fill, h } from '../dom';
import { fmtBytes, fmtDuration, fmtInt, fmtValue } from '../format';
import { memberState, sortedMembers } from '../model';
import type { Member } from '../types';
import { badge, empty, swatch } from '../widgets';
import type { View, ViewContext } from './view';

const STATE_TONE: Record<string, string> = {
  up: 'ok', unreachable: 'bad', down: 'bad', joining: 'info', leaving: 'warn', left: 'muted',
};

function detectorCell(observer: Member, peer: string): HTMLElement {
  const base = { 'data-testid': 'fd-cell', 'data-from': observer.id, 'data-to': peer };
  if (observer.id === peer) {
    return h('td', { ...base, class: 'fd fd-self', 'data-state': 'self', title: `${peer} itself` }, '·');
  }
  const view = observer.view;
  if (!view || observer.answered === false) {
    return h('td', { ...base, class: 'fd fd-unknown', 'data-state': 'unknown', title: `${observer.id} did not answer` }, '?');
  }
  const p = view.peers?.[peer];
  if (!p) {
    return h('td', { ...base, class: 'fd fd-unknown', 'data-state': 'unknown', title: `${observer.id} has no view of ${peer}` }, '?');
  }
  const down = p.reachable === false || p.timed_out === true || p.suspected === true;
  const why = [p.timed_out ? 'timed out' : '', p.suspected ? 'suspected' : ''].filter((x) => x).join(', ');
  const title = `${observer.id} → ${peer}: ${down ? 'unreachable' : 'ok'}${why ? ` (${why})` : ''}, phi ${fmtValue(p.phi ?? null)}`;
  return h('td', { ...base, class: down ? 'fd fd-bad' : 'fd fd-ok', 'data-state': down ? 'unreachable' : 'ok', title },
    down ? 'unreachable' : 'ok');
}

export function membersView({ store }: ViewContext): View {
  const body = h('div', { class: 'table-wrap' });
  const el = h('div', { class: 'view view-members' }, card('Members', [body]));

  return {
    el,
    update(): void {
      const members = sortedMembers(store.cluster);
      if (members.length === 0) {
        fill(body, empty(store.cluster ? 'No members.' : 'Waiting for the node…'));
        return;
      }
      const ids = members.map((m) => m.id);
      const head = h('thead', null,
        h('tr', null,
          h('th', { rowspan: 2, class: 'dot-col' }, ''),
          h('th', { rowspan: 2 }, 'Node'),
          h('th', { rowspan: 2 }, 'State'),
          h('th', { rowspan: 2 }, 'Zone'),
          h('th', { rowspan: 2 }, 'HTTP / peer'),
          h('th', { rowspan: 2, class: 'num' }, 'Uptime'),
          h('th', { rowspan: 2, class: 'num' }, 'Partitions'),
          h('th', { rowspan: 2, class: 'num' }, 'Data'),
          h('th', { rowspan: 2, class: 'num' }, 'In flight'),
          h('th', { colspan: ids.length, class: 'fd-group', title: 'Each row: what that member’s failure detector says about each peer' },
            'Failure detector: sees →')),
        h('tr', null, ids.map((id) => h('th', { class: 'fd-head' }, swatch(store.colors.of(id)), id))));
      const rows = members.map((m) => {
        const state = memberState(m);
        const v = m.view;
        const why = state === 'unreachable' ? m.error ?? (m.answered === false ? 'did not answer' : 'not reachable') : null;
        return h('tr', { 'data-testid': 'member', 'data-node': m.id, 'data-state': state, class: v ? '' : 'no-view' },
          h('td', { class: 'dot-col' }, swatch(store.colors.of(m.id))),
          h('td', null, h('span', { class: 'node-id' }, m.id),
            m.id === store.cluster?.served_by ? h('span', { class: 'tag' }, 'this node') : null),
          h('td', null, badge(state, STATE_TONE[state] ?? 'muted'), why ? h('span', { class: 'state-note' }, why) : null),
          h('td', null, m.zone ?? v?.zone ?? '–'),
          h('td', { class: 'addr' }, h('div', null, m.http ?? '–'), h('div', { class: 'muted' }, m.peer ?? '')),
          h('td', { class: 'num' }, v ? fmtDuration(v.uptime_ms ?? null) : '–'),
          h('td', { class: 'num' }, fmtInt(m.partitions ?? null)),
          h('td', { class: 'num' }, v ? fmtBytes(v.data?.bytes ?? null) : '–'),
          h('td', { class: 'num' }, v ? fmtInt(v.in_flight ?? null) : '–'),
          ids.map((peer) => detectorCell(m, peer)));
      });
      fill(body, h('table', { class: 'table members-table' }, head, h('tbody', null, rows)));
    },
  };
}
