// #/members: one row per member, with each member's failure-detector view of its peers as the
// last columns (together they form the matrix: rows are observers, columns are peers). Members
// that left are listed apart at the bottom, with no column: no node watches them.

import { card, fill, h } from '../dom';
import { fmtBytes, fmtDuration, fmtInt, fmtValue } from '../format';
import { hasLeft, memberState, sortedMembers } from '../model';
import { PEER_STATES, type Member, type PeerState, type PeerView } from '../types';
import { badge, empty, swatch } from '../widgets';
import type { View, ViewContext } from './view';

const STATE_TONE: Record<string, string> = {
  up: 'ok', unreachable: 'bad', down: 'bad', joining: 'info', leaving: 'warn', left: 'muted',
};

/** A peer's state in an observer's view: the node's own word, or (a node without it) worked out from the flags. */
export function peerState(p: PeerView): PeerState {
  const stated = (p.state ?? '').toLowerCase();
  if ((PEER_STATES as readonly string[]).includes(stated)) return stated as PeerState;
  return p.reachable === false || p.timed_out === true || p.suspected === true ? 'unreachable' : 'ok';
}

const PEER_TEXT: Record<PeerState, string> = {
  ok: 'ok — requests go to it, heartbeats on time',
  late: 'late — requests still go to it, but its heartbeats are overdue',
  unknown: 'unknown — too few of its heartbeats seen yet to judge (as just after a restart); requests still go to it',
  unreachable: 'unreachable — routed around',
};

function detectorCell(observer: Member, peer: string): HTMLElement {
  const base = { 'data-testid': 'fd-cell', 'data-from': observer.id, 'data-to': peer };
  if (observer.id === peer) {
    return h('td', { ...base, class: 'fd fd-self', 'data-state': 'self', title: `${peer} itself` }, '·');
  }
  const view = observer.view;
  if (!view || observer.answered === false) {
    return h('td', { ...base, class: 'fd fd-none', 'data-state': 'no-view', title: `${observer.id} did not answer` }, '?');
  }
  const p = view.peers?.[peer];
  if (!p) {
    return h('td', { ...base, class: 'fd fd-none', 'data-state': 'no-view', title: `${observer.id} has no view of ${peer}` }, '?');
  }
  const state = peerState(p);
  const why = [p.timed_out ? 'a request timed out' : '', p.suspected ? 'heartbeats suspected' : ''].filter((x) => x).join(', ');
  const title = `${observer.id} → ${peer}: ${PEER_TEXT[state]}${why ? ` (${why})` : ''}, phi ${fmtValue(p.phi ?? null)}`;
  return h('td', { ...base, class: `fd fd-${state}`, 'data-state': state, title }, state);
}

function memberCells(store: ViewContext['store'], m: Member, state: string, why: string | null): HTMLElement[] {
  const v = m.view;
  return [
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
  ];
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
      // Members that left are gone, not failed: no one watches them, so they get no matrix
      // column, and they are listed apart at the bottom.
      const current = members.filter((m) => !hasLeft(m));
      const left = members.filter(hasLeft);
      const ids = current.map((m) => m.id);
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
          h('th', { colspan: Math.max(1, ids.length), class: 'fd-group', title: 'Each row: what that member’s failure detector says about each peer' },
            'Failure detector: sees →')),
        h('tr', null, ids.map((id) => h('th', { class: 'fd-head' }, swatch(store.colors.of(id)), id))));
      const rows = current.map((m) => {
        const state = memberState(m);
        const why = state === 'unreachable' ? m.error ?? (m.answered === false ? 'did not answer' : 'not reachable') : null;
        return h('tr', { 'data-testid': 'member', 'data-node': m.id, 'data-state': state, class: m.view ? '' : 'no-view' },
          memberCells(store, m, state, why),
          ids.map((peer) => detectorCell(m, peer)));
      });
      const columns = 9 + Math.max(1, ids.length);
      const gone = left.length === 0 ? [] : [
        h('tr', { class: 'group-row' }, h('td', { colspan: columns }, `Left the cluster (${left.length})`)),
        ...left.map((m) => h('tr', { 'data-testid': 'member', 'data-node': m.id, 'data-state': 'left', class: 'left-row' },
          memberCells(store, m, 'left', 'holds no partitions; not watched'),
          h('td', { colspan: Math.max(1, ids.length), class: 'fd fd-left', 'data-testid': 'fd-left' }, 'not watched'))),
      ];
      const key = (state: string, text: string) => h('span', { class: 'fd-key' },
        h('span', { class: `fd-chip fd-${state}` }, state === 'none' ? '?' : state), ` ${text}`);
      const legend = h('p', { class: 'fd-legend', 'data-testid': 'fd-legend' },
        key('ok', 'heartbeats on time'),
        key('late', 'heartbeats overdue, still routed to'),
        key('unknown', 'too few heartbeats seen to judge (e.g. just restarted), still routed to'),
        key('unreachable', 'routed around'),
        key('none', 'that member did not answer'));
      fill(body, h('table', { class: 'table members-table' }, head, h('tbody', null, rows, gone)), legend);
    },
  };
}
