// Polling. The cluster poll runs 2 s after the previous one ended, so polls never overlap; ring
// and buckets are fetched at start and every 10 s, and sooner when the ring epoch moves, when
// the node answers again after a failure, or after an action.

import { api, errorMessage } from './api';
import type { PollKind, Store } from './state';

export const CLUSTER_EVERY_MS = 2000;
export const RING_EVERY_MS = 10_000;

/** A pause that can be cut short. */
class Pause {
  private wake: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  interrupt(): void {
    clearTimeout(this.timer);
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

export class Poller {
  private readonly clusterPause = new Pause();
  private readonly slowPause = new Pause();
  private started = false;

  constructor(private readonly store: Store) {}

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.loop(() => this.pollCluster(), CLUSTER_EVERY_MS, this.clusterPause);
    void this.loop(() => this.pollSlow(), RING_EVERY_MS, this.slowPause);
  }

  /** Refreshes everything now (after an action); a poll in progress finishes first. */
  refreshNow(): void {
    this.clusterPause.interrupt();
    this.slowPause.interrupt();
  }

  private async loop(poll: () => Promise<void>, every: number, pause: Pause): Promise<void> {
    for (;;) {
      await poll();
      await pause.wait(every);
    }
  }

  private async pollCluster(): Promise<void> {
    const store = this.store;
    const wasFailing = !store.ok;
    try {
      const cluster = await api.cluster(store.traffic.maxT());
      store.applyCluster(cluster, Date.now());
      store.succeeded('cluster');
      const ring = store.ring;
      const ringMoved = ring !== null &&
        (ring.epoch !== cluster.ring.epoch || !ring.next !== cluster.ring.settled);
      if (wasFailing || ringMoved) this.slowPause.interrupt();
    } catch (e) {
      store.failed('cluster', errorMessage(e), Date.now());
    }
    store.notify();
  }

  private async pollSlow(): Promise<void> {
    await Promise.all([
      this.fetch('ring', async () => this.store.applyRing(await api.ring())),
      this.fetch('buckets', async () => this.store.applyBuckets(await api.buckets())),
    ]);
    this.store.notify();
  }

  private async fetch(kind: PollKind, run: () => Promise<void>): Promise<void> {
    try {
      await run();
      this.store.succeeded(kind);
    } catch (e) {
      this.store.failed(kind, errorMessage(e), Date.now());
    }
  }
}
