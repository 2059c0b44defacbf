// Traffic samples per node, as received from the polls: in time order, at most MAX_SAMPLES
// per node (5 minutes at one sample per second).

import type { TrafficSample } from './types';

export const MAX_SAMPLES = 300;

export class TrafficStore {
  private readonly byNode = new Map<string, TrafficSample[]>();
  private readonly intervals = new Map<string, number>();

  /** The largest `t` held, 0 when there is none: the `since` of the next poll. */
  maxT(): number {
    let max = 0;
    for (const samples of this.byNode.values()) {
      const last = samples[samples.length - 1];
      if (last && last.t > max) max = last.t;
    }
    return max;
  }

  add(node: string, samples: readonly TrafficSample[] | null | undefined, intervalMs: number | undefined): void {
    if (intervalMs && intervalMs > 0) this.intervals.set(node, intervalMs);
    if (!samples || samples.length === 0) return;
    let held = this.byNode.get(node);
    if (!held) {
      held = [];
      this.byNode.set(node, held);
    }
    for (const sample of samples) {
      if (typeof sample?.t !== 'number') continue;
      const last = held[held.length - 1];
      if (last && sample.t <= last.t) continue;
      held.push(sample);
    }
    if (held.length > MAX_SAMPLES) held.splice(0, held.length - MAX_SAMPLES);
  }

  nodes(): string[] {
    return [...this.byNode.keys()];
  }

  samples(node: string): readonly TrafficSample[] {
    return this.byNode.get(node) ?? [];
  }

  /** Sampling interval of a node in ms (1000 unless the node said otherwise). */
  interval(node: string): number {
    return this.intervals.get(node) ?? 1000;
  }
}
