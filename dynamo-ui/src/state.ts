// The page's state: the last answers of each poll, the traffic history, failures, and the
// listeners that re-render when something changes.

import { NodeColors } from './colors';
import { TrafficStore } from './traffic-store';
import { TransferTracker } from './transfers';
import type { BucketsResponse, ClusterResponse, RingResponse } from './types';

export type PollKind = 'cluster' | 'ring' | 'buckets';

interface Failure {
  since: number;
  message: string;
}

export class Store {
  cluster: ClusterResponse | null = null;
  ring: RingResponse | null = null;
  buckets: BucketsResponse | null = null;
  /** Client time of the last successful cluster poll. */
  lastOkAt: number | null = null;
  readonly traffic = new TrafficStore();
  readonly transfers = new TransferTracker();
  readonly colors = new NodeColors();

  private readonly failures = new Map<PollKind, Failure>();
  private readonly listeners = new Set<() => void>();

  subscribe(listener: () => void): void {
    this.listeners.add(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }

  applyCluster(cluster: ClusterResponse, now: number): void {
    this.cluster = cluster;
    this.lastOkAt = now;
    for (const m of cluster.members ?? []) {
      const traffic = m.view?.traffic;
      if (traffic) this.traffic.add(m.id, traffic.samples, traffic.interval_ms);
    }
    this.transfers.update(cluster, now);
    this.recolor();
  }

  applyRing(ring: RingResponse): void {
    this.ring = ring;
    this.recolor();
  }

  applyBuckets(buckets: BucketsResponse): void {
    this.buckets = buckets;
  }

  succeeded(kind: PollKind): void {
    this.failures.delete(kind);
  }

  failed(kind: PollKind, message: string, now: number): void {
    const previous = this.failures.get(kind);
    this.failures.set(kind, { since: previous?.since ?? now, message });
  }

  /** True when the last attempt of every poll succeeded. */
  get ok(): boolean {
    return this.failures.size === 0;
  }

  /** When the node stopped answering (the earliest failure still going on). */
  get failingSince(): number | null {
    let since: number | null = null;
    for (const f of this.failures.values()) if (since === null || f.since < since) since = f.since;
    return since;
  }

  get failureMessage(): string | null {
    return this.failures.get('cluster')?.message ?? this.failures.values().next().value?.message ?? null;
  }

  /** Every node id the page knows of: members and owners in the current and next ring. */
  nodeIds(): string[] {
    const ids = new Set<string>();
    for (const m of this.cluster?.members ?? []) ids.add(m.id);
    for (const layout of [this.ring, this.ring?.next]) {
      if (!layout) continue;
      for (const o of layout.owners ?? []) for (const n of o.nodes ?? []) ids.add(n);
      for (const n of Object.keys(layout.partitions_owned ?? {})) ids.add(n);
    }
    for (const n of Object.keys(this.cluster?.ring.partitions_owned ?? {})) ids.add(n);
    for (const n of Object.keys(this.cluster?.ring.next_partitions_owned ?? {})) ids.add(n);
    return [...ids];
  }

  private recolor(): void {
    this.colors.assign(this.nodeIds());
  }
}
