// Traffic samples of one node or all nodes turned into chart series: rates summed over nodes,
// latencies the largest over nodes (the slowest coordinator) at each timestamp.

import type { Point } from './chart';
import type { TrafficStore } from './traffic-store';
import type { OpName, OpSample } from './types';

export interface OpSeries {
  rate: Point[];
  p50: Point[];
  p99: Point[];
  p999: Point[];
}

export interface ExtraSeries {
  overloaded: Point[];
  admissionRefused: Point[];
  withSiblings: Point[];
  maxSiblings: Point[];
}

type Combine = 'sum' | 'max';

/** Folds one value per node and timestamp into one value per timestamp. */
class Folder {
  private readonly values = new Map<number, number | null>();

  constructor(private readonly combine: Combine) {}

  add(t: number, value: number | null | undefined): void {
    const current = this.values.get(t);
    if (value === null || value === undefined || !Number.isFinite(value)) {
      if (current === undefined) this.values.set(t, null);
      return;
    }
    if (current === undefined || current === null) this.values.set(t, value);
    else this.values.set(t, this.combine === 'sum' ? current + value : Math.max(current, value));
  }

  points(): Point[] {
    return [...this.values.entries()].sort((a, b) => a[0] - b[0]);
  }
}

export function opSeries(traffic: TrafficStore, nodes: readonly string[], op: OpName): OpSeries {
  const rate = new Folder('sum');
  const p50 = new Folder('max');
  const p99 = new Folder('max');
  const p999 = new Folder('max');
  for (const node of nodes) {
    for (const sample of traffic.samples(node)) {
      const o: OpSample = sample.ops?.[op] ?? {};
      rate.add(sample.t, o.rate ?? 0);
      p50.add(sample.t, o.p50_ms);
      p99.add(sample.t, o.p99_ms);
      p999.add(sample.t, o.p999_ms);
    }
  }
  return { rate: rate.points(), p50: p50.points(), p99: p99.points(), p999: p999.points() };
}

export function extraSeries(traffic: TrafficStore, nodes: readonly string[]): ExtraSeries {
  const overloaded = new Folder('sum');
  const admission = new Folder('sum');
  const siblings = new Folder('sum');
  const maxSiblings = new Folder('max');
  for (const node of nodes) {
    const perSecond = 1000 / traffic.interval(node);
    for (const sample of traffic.samples(node)) {
      overloaded.add(sample.t, (sample.overloaded ?? 0) * perSecond);
      admission.add(sample.t, (sample.admission_refused ?? 0) * perSecond);
      siblings.add(sample.t, (sample.gets_with_siblings ?? 0) * perSecond);
      maxSiblings.add(sample.t, sample.max_siblings ?? 0);
    }
  }
  return {
    overloaded: overloaded.points(), admissionRefused: admission.points(),
    withSiblings: siblings.points(), maxSiblings: maxSiblings.points(),
  };
}

/** The value at the latest timestamp of a series. */
export function latest(points: readonly Point[]): number | null {
  const last = points[points.length - 1];
  return last ? last[1] : null;
}

/** The largest value of a series over the window. */
export function peak(points: readonly Point[], from: number): number | null {
  let max: number | null = null;
  for (const [t, v] of points) if (t >= from && v !== null && (max === null || v > max)) max = v;
  return max;
}
