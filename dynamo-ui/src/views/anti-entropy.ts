// Anti-entropy heat grid: one row per member, one cell per partition (rows wrap past 128
// partitions), plus each node's exchange totals.

import { compareIds } from '../colors';
import { fill, h } from '../dom';
import { fmtAgo, fmtInt } from '../format';
import { hasLeft, sortedMembers } from '../model';
import type { Store } from '../state';
import type { AePartition, Member, ReplicaSync } from '../types';
import { empty, swatch } from '../widgets';

export type AeState = 'synced' | 'stale' | 'differed' | 'never' | 'not-owned';

/** A replica not found in sync for this long makes the cell stale. */
export const STALE_MS = 10 * 60_000;
const WRAP_AT = 128;

const STATE_LABEL: Record<AeState, string> = {
  synced: 'in sync at the last exchange',
  differed: 'the last exchange found differences (and repaired them)',
  stale: 'last exchange over 10 min ago',
  never: 'a replica here, never synced: no exchange with another replica since the node started',
  'not-owned': 'not a replica here: the node holds no copy, nothing to sync',
};

/** Legend words. "never synced" and "not a replica" also differ in fill: hatched and outlined, against flat and faint. */
const LEGEND: Record<AeState, string> = {
  synced: 'synced',
  differed: 'differed',
  stale: 'stale',
  never: 'never synced (a replica)',
  'not-owned': 'not a replica',
};

/**
 * A partition's state on one node, from its latest exchange with any other replica. Each
 * anti-entropy tick syncs one partition with one replica, so "every replica" would stay
 * incomplete for a long time on a healthy cluster; an exchange that found differences also
 * repaired them, both ways, so the latest exchange says how the partition stands.
 */
export function aeState(p: AePartition | undefined): AeState {
  if (!p) return 'not-owned';
  const synced = Object.values(p.replicas ?? {}).filter(
    (r): r is ReplicaSync => !!r && r.last_sync_ms_ago !== null && r.last_sync_ms_ago !== undefined);
  if (synced.length === 0) return 'never';
  const latest = synced.reduce((a, b) => ((b.last_sync_ms_ago ?? 0) < (a.last_sync_ms_ago ?? 0) ? b : a));
  if ((latest.differing_segments ?? 0) > 0) return 'differed';
  return (latest.last_sync_ms_ago ?? 0) > STALE_MS ? 'stale' : 'synced';
}

function replicaLine(node: string, r: ReplicaSync | null | undefined): string {
  if (!r || r.last_sync_ms_ago === null || r.last_sync_ms_ago === undefined) return `${node}: never synced`;
  const differing = r.differing_segments ?? 0;
  const found = differing > 0
    ? `${differing} differing segment${differing === 1 ? '' : 's'}, ${fmtInt(r.keys_repaired ?? 0)} keys repaired, ${fmtInt(r.keys_sent ?? 0)} sent`
    : 'in sync';
  return `${node}: ${fmtAgo(r.last_sync_ms_ago)} ago, ${found}`;
}

function cellTitle(member: string, partition: number, p: AePartition | undefined, state: AeState): string {
  if (state === 'not-owned') return `Partition ${partition}: ${member} is not one of its replicas (nothing to sync)`;
  const lines = [`Partition ${partition} on ${member}: ${STATE_LABEL[state]}`];
  if (p) {
    const replicas = Object.entries(p.replicas ?? {}).sort(([a], [b]) => compareIds(a, b));
    for (const [node, r] of replicas) lines.push(replicaLine(node, r));
  }
  return lines.join('\n');
}

function memberRow(m: Member, partitions: number, columns: number, color: string): HTMLElement[] {
  const label = (from: number | null) => h('div', { class: 'ae-label' }, swatch(color), h('span', { class: 'node-id' }, m.id),
    from !== null && partitions > WRAP_AT ? h('span', { class: 'muted' }, ` ${from}–${Math.min(partitions, from + columns) - 1}`) : null);
  const ae = m.view?.anti_entropy;
  if (!m.view || m.answered === false) {
    return [h('div', { class: 'ae-row', 'data-node': m.id }, label(null), h('div', { class: 'ae-missing' }, 'did not answer'))];
  }
  const byPartition = new Map<number, AePartition>();
  for (const p of ae?.partitions ?? []) byPartition.set(p.partition, p);
  const rows: HTMLElement[] = [];
  for (let from = 0; from < partitions; from += columns) {
    const cells = h('div', { class: 'ae-cells', style: `grid-template-columns:repeat(${columns},var(--ae-cell))` });
    for (let partition = from; partition < Math.min(partitions, from + columns); partition++) {
      const p = byPartition.get(partition);
      const state = aeState(p);
      cells.append(h('span', {
        class: `ae-cell ae-${state}`, 'data-testid': 'ae-cell', 'data-node': m.id, 'data-partition': partition,
        'data-state': state, title: cellTitle(m.id, partition, p, state),
      }));
    }
    rows.push(h('div', { class: 'ae-row', 'data-node': m.id }, label(from), cells));
  }
  return rows;
}

export function renderAntiEntropy(target: HTMLElement, store: Store): void {
  const partitions = store.ring?.partitions ?? store.cluster?.ring.partitions ?? 0;
  // Members that left hold no partition: nothing to show for them.
  const members = sortedMembers(store.cluster).filter((m) => !hasLeft(m));
  if (!partitions || members.length === 0) {
    fill(target, empty('Waiting for the node…'));
    return;
  }
  const columns = Math.min(partitions, WRAP_AT);
  const size = partitions <= 64 ? 15 : 7;

  const counts: Record<AeState, number> = { synced: 0, differed: 0, stale: 0, never: 0, 'not-owned': 0 };
  const grid = h('div', { class: 'ae-grid', style: `--ae-cell:${size}px;--ae-gap:${partitions <= 64 ? 2 : 1}px` });
  const ticks = h('div', { class: 'ae-cells ae-ticks', style: `grid-template-columns:repeat(${columns},var(--ae-cell))` });
  const every = columns <= 64 ? 8 : 16;
  for (let i = 0; i < columns; i += every) {
    ticks.append(h('span', { style: `grid-column:${i + 1} / span ${every}` }, String(i)));
  }
  grid.append(h('div', { class: 'ae-row ae-head' }, h('div', { class: 'ae-label muted' }, 'partition'), ticks));
  for (const m of members) {
    for (const row of memberRow(m, partitions, columns, store.colors.of(m.id))) grid.append(row);
  }
  grid.querySelectorAll<HTMLElement>('[data-testid=ae-cell]').forEach((cell) => {
    counts[cell.dataset['state'] as AeState]++;
  });

  const legend = h('div', { class: 'ae-legend' },
    (['synced', 'differed', 'stale', 'never', 'not-owned'] as const).map((state) =>
      h('span', { class: 'ae-key', 'data-testid': 'ae-key', 'data-state': state, title: STATE_LABEL[state] },
        h('span', { class: `ae-cell ae-${state}` }),
        `${LEGEND[state]} (${counts[state]})`)));

  const totals = h('table', { class: 'table compact ae-totals', 'data-testid': 'ae-totals' },
    h('thead', null, h('tr', null, h('th', null, 'Node'), h('th', { class: 'num' }, 'Exchanges'), h('th', { class: 'num' }, 'Failed'),
      h('th', { class: 'num' }, 'Keys repaired'), h('th', { class: 'num' }, 'Keys sent'))),
    h('tbody', null, members.map((m) => {
      const ae = m.view?.anti_entropy;
      const cell = (n: number | undefined, cls = 'num') => h('td', { class: cls }, ae ? fmtInt(n ?? 0) : '–');
      return h('tr', { 'data-testid': 'ae-total', 'data-node': m.id },
        h('td', null, swatch(store.colors.of(m.id)), h('span', { class: 'node-id' }, m.id)),
        cell(ae?.exchanges), cell(ae?.failed, (ae?.failed ?? 0) > 0 ? 'num warn-text' : 'num'),
        cell(ae?.keys_repaired), cell(ae?.keys_sent));
    })));

  fill(target, legend, h('div', { class: 'ae-layout' }, h('div', { class: 'ae-scroll' }, grid), totals));
}
