// #/repair: hinted hand-off, partition transfers, anti-entropy.

import { compareIds } from '../colors';
import { card, fill, h } from '../dom';
import { fmtByteRate, fmtInt } from '../format';
import { sortedMembers } from '../model';
import type { Store } from '../state';
import { empty, swatch } from '../widgets';
import { renderAntiEntropy } from './anti-entropy';
import type { View, ViewContext } from './view';

function nodeCell(store: Store, id: string): HTMLElement {
  return h('td', { class: 'node-cell' }, swatch(store.colors.of(id)), h('span', { class: 'node-id' }, id));
}

function renderHints(target: HTMLElement, store: Store): void {
  const members = sortedMembers(store.cluster);
  const rows: Array<{ holder: string; target: string; count: number }> = [];
  let delivered = 0;
  let deferred = 0;
  for (const m of members) {
    const hints = m.view?.hints;
    if (!hints) continue;
    delivered += hints.delivered ?? 0;
    deferred += hints.deferred ?? 0;
    for (const [to, count] of Object.entries(hints.pending ?? {})) {
      if (count > 0) rows.push({ holder: m.id, target: to, count });
    }
  }
  rows.sort((a, b) => compareIds(a.holder, b.holder) || compareIds(a.target, b.target));
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  target.setAttribute('data-pending', String(total));
  const summary = h('p', { class: 'summary-line' },
    h('span', null, 'Delivered ', h('strong', null, fmtInt(delivered))),
    h('span', null, 'Deferred ', h('strong', null, fmtInt(deferred))),
    h('span', { class: 'muted' }, 'totals over the members that answered'));
  if (rows.length === 0) {
    fill(target, empty('No hints pending'), summary);
    return;
  }
  fill(target,
    h('table', { class: 'table compact' },
      h('thead', null, h('tr', null, h('th', null, 'Holder'), h('th', { class: 'arrow-col' }, ''), h('th', null, 'Target'),
        h('th', { class: 'num' }, 'Pending'))),
      h('tbody', null, rows.map((r) => h('tr', { 'data-testid': 'hint', 'data-holder': r.holder, 'data-target': r.target },
        nodeCell(store, r.holder), h('td', { class: 'arrow-col muted' }, '→'), nodeCell(store, r.target),
        h('td', { class: 'num' }, fmtInt(r.count))))),
      h('tfoot', null, h('tr', null, h('td', { colspan: 3 }, 'Total'), h('td', { class: 'num' }, fmtInt(total))))),
    summary);
}

function renderTransfers(target: HTMLElement, store: Store): void {
  const tracker = store.transfers;
  target.setAttribute('data-pending', String(tracker.pending));
  const rows = tracker.visible(Date.now()).sort((a, b) => compareIds(a.node, b.node));
  if (rows.length === 0) {
    fill(target, empty(store.cluster && !store.cluster.ring.settled
      ? 'Ring changing, no transfers planned yet'
      : 'Ring settled, no transfers'));
    return;
  }
  fill(target, h('table', { class: 'table compact transfers-table' },
    h('thead', null, h('tr', null, h('th', null, 'To'), h('th', null, 'Progress'), h('th', { class: 'num' }, 'Keys moved'),
      h('th', { class: 'num' }, 'Rate'), h('th', { class: 'num', title: 'the partition being transferred now' }, 'Partition'), h('th', null, 'Phase'))),
    h('tbody', null, rows.map((r) => h('tr', { 'data-testid': 'transfer', 'data-node': r.node, 'data-state': r.state },
      nodeCell(store, r.node),
      h('td', null, h('div', { class: 'progress-cell' },
        h('progress', { value: r.done, max: Math.max(1, r.total), 'aria-label': `${r.node} transfers` }),
        h('span', { class: 'progress-text' }, `${r.done} of ${r.total} partitions`),
        r.state === 'done' ? h('span', { class: 'badge badge-ok' }, 'done') : null)),
      h('td', { class: 'num' }, fmtInt(r.keysMoved)),
      h('td', { class: 'num' }, r.state === 'active' ? fmtByteRate(r.bytesPerSecond) : '–'),
      h('td', {
        class: 'num', 'data-testid': 'transfer-partition',
        title: r.activePartition === null ? 'no partition is being received right now' : null,
      }, r.activePartition === null ? '–' : String(r.activePartition)),
      h('td', { 'data-testid': 'transfer-phase' },
        r.phase ?? (r.state === 'done' ? '–' : h('span', { class: 'muted', title: 'planned transfers to it not started yet' }, 'waiting'))))))));
}

export function repairView({ store }: ViewContext): View {
  const hints = h('div', { 'data-testid': 'hints', class: 'hints' });
  const transfers = h('div', { 'data-testid': 'transfers', class: 'transfers' });
  const antiEntropy = h('div', { 'data-testid': 'anti-entropy', class: 'anti-entropy' });
  const el = h('div', { class: 'view view-repair' },
    h('div', { class: 'repair-top' },
      card('Hinted hand-off', [hints]),
      card('Partition transfers', [transfers])),
    card('Anti-entropy', [antiEntropy]));
  return {
    el,
    update(): void {
      renderHints(hints, store);
      renderTransfers(transfers, store);
      renderAntiEntropy(antiEntropy, store);
    },
  };
}
