// Partition transfers per receiving node. A node whose transfers finish while the page is open
// keeps a "done" row until the ring has been settled for a minute.

import type { ClusterResponse, Member } from './types';

export const DONE_ROW_KEEP_MS = 60_000;

export interface TransferRow {
  node: string;
  total: number;
  done: number;
  keysMoved: number | null;
  bytesPerSecond: number | null;
  activePartition: number | null;
  phase: string | null;
  state: 'active' | 'done';
}

/**
 * The partition a node is receiving, or null when none is. Nodes say null; older nodes said -1,
 * which is no partition either (and must never be shown as one).
 */
export function partitionOrNull(p: number | null | undefined): number | null {
  return typeof p === 'number' && Number.isInteger(p) && p >= 0 ? p : null;
}

export class TransferTracker {
  private readonly rows = new Map<string, TransferRow>();
  private settledSince: number | null = null;
  /** Planned transfers not done yet, as of the last poll. */
  pending = 0;

  update(cluster: ClusterResponse, now: number): void {
    if (cluster.ring.settled) this.settledSince ??= now;
    else this.settledSince = null;

    const planned = cluster.transfers?.planned ?? [];
    this.pending = planned.filter((p) => !p.done).length;

    const counts = new Map<string, { total: number; done: number }>();
    for (const p of planned) {
      const c = counts.get(p.to) ?? { total: 0, done: 0 };
      c.total++;
      if (p.done) c.done++;
      counts.set(p.to, c);
    }
    const members = new Map<string, Member>(cluster.members.map((m) => [m.id, m]));

    for (const [node, c] of counts) {
      const previous = this.rows.get(node);
      const view = members.get(node)?.view?.transfers ?? null;
      this.rows.set(node, {
        node,
        total: c.total,
        done: c.done,
        keysMoved: view?.keys_moved ?? previous?.keysMoved ?? null,
        bytesPerSecond: view ? view.bytes_per_second ?? null : null,
        activePartition: partitionOrNull(view?.active_partition),
        phase: view?.phase || null,
        state: c.done < c.total ? 'active' : 'done',
      });
    }
    for (const [node, row] of this.rows) {
      if (counts.has(node)) continue;
      // No longer planned: the node's transfers finished.
      row.done = row.total;
      row.state = 'done';
      row.bytesPerSecond = null;
      row.activePartition = null;
      row.phase = null;
      if (this.hidesDone(now)) this.rows.delete(node);
    }
  }

  private hidesDone(now: number): boolean {
    return this.settledSince !== null && now - this.settledSince >= DONE_ROW_KEEP_MS;
  }

  /** Rows to show: every active one, and done ones unless the ring has been settled a minute. */
  visible(now: number): TransferRow[] {
    const hide = this.hidesDone(now);
    return [...this.rows.values()].filter((r) => r.state === 'active' || !hide);
  }
}
