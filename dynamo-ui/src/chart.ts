// SVG line charts over a time window: three y ticks (0, half, top), one x tick a minute,
// lines broken where samples are missing, and a lone sample (no neighbour within the gap) drawn as a dot.

import { s } from './dom';
import { fmtAxis } from './format';

export type Point = readonly [t: number, value: number | null];

export interface Series {
  name: string;
  color: string;
  points: readonly Point[];
  dashed?: boolean;
}

export interface ChartOptions {
  /** Value of data-chart, e.g. "get-rate". */
  id: string;
  label: string;
  series: readonly Series[];
  /** Window start and end, epoch ms. */
  from: number;
  to: number;
  /** Points further apart than this are not joined. */
  gapMs: number;
}

const W = 560;
const H = 168;
const M = { left: 42, right: 12, top: 10, bottom: 22 };

/** The smallest of 1, 2, 4, 5 times a power of ten that is at least `max` (halves stay round). */
export function niceTop(max: number): number {
  if (!(max > 0)) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(max)));
  for (const step of [1, 2, 4, 5, 10]) {
    if (step * magnitude >= max * (1 - 1e-9)) return step * magnitude;
  }
  return 10 * magnitude;
}

/**
 * The runs of a series: consecutive drawable points no further apart than `gapMs`. A run of
 * one point (a lone sample, e.g. after a gap) has no line to draw; it is drawn as a dot.
 */
export function runs(points: readonly Point[], from: number, gapMs: number): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let run: Array<[number, number]> | null = null;
  let previousT: number | null = null;
  for (const [t, v] of points) {
    if (t < from || v === null || !Number.isFinite(v)) {
      run = null;
      previousT = null;
      continue;
    }
    if (run === null || previousT === null || t - previousT > gapMs) {
      run = [];
      out.push(run);
    }
    run.push([t, v]);
    previousT = t;
  }
  return out;
}

export function lineChart(o: ChartOptions): SVGSVGElement {
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const span = Math.max(1, o.to - o.from);
  const x = (t: number) => M.left + ((t - o.from) / span) * plotW;

  let max = 0;
  let any = false;
  for (const series of o.series) {
    for (const [t, v] of series.points) {
      if (t >= o.from && v !== null && Number.isFinite(v)) {
        any = true;
        if (v > max) max = v;
      }
    }
  }
  const top = niceTop(max);
  const y = (v: number) => M.top + plotH - (Math.min(v, top) / top) * plotH;

  const svg = s('svg', {
    class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': o.label,
    'data-testid': 'chart', 'data-chart': o.id,
  }, s('title', null, o.label));

  const grid = s('g', { class: 'chart-grid' });
  for (const value of [0, top / 2, top]) {
    const yy = y(value).toFixed(1);
    grid.append(
      s('line', { x1: M.left, x2: W - M.right, y1: yy, y2: yy, class: value === 0 ? 'axis' : '' }),
      s('text', { x: M.left - 6, y: yy, class: 'tick-y', 'dominant-baseline': 'middle', 'text-anchor': 'end' }, fmtAxis(value)));
  }
  const minutes = Math.round(span / 60_000);
  for (let i = 0; i <= minutes; i++) {
    const t = o.to - (minutes - i) * 60_000;
    const xx = x(t).toFixed(1);
    const label = i === minutes ? 'now' : `−${minutes - i} min`;
    grid.append(
      s('line', { x1: xx, x2: xx, y1: M.top, y2: M.top + plotH, class: 'vertical' }),
      s('text', { x: xx, y: H - 6, class: 'tick-x', 'text-anchor': i === 0 ? 'start' : i === minutes ? 'end' : 'middle' }, label));
  }
  svg.append(grid);

  for (const series of o.series) {
    let d = '';
    const lone: Array<[number, number]> = [];
    for (const run of runs(series.points, o.from, o.gapMs)) {
      const first = run[0];
      if (run.length === 1 && first) lone.push(first);
      else run.forEach(([t, v], i) => { d += `${i === 0 ? 'M' : 'L'}${x(t).toFixed(1)} ${y(v).toFixed(1)}`; });
    }
    if (d) {
      svg.append(s('path', {
        d, class: 'line', stroke: series.color, 'stroke-dasharray': series.dashed ? '4 3' : null,
        'data-series': series.name,
      }));
    }
    for (const [t, v] of lone) {
      svg.append(s('circle', {
        cx: x(t).toFixed(1), cy: y(v).toFixed(1), r: 2.2, class: 'point', fill: series.color,
        'data-series': series.name, 'data-testid': 'chart-point',
      }));
    }
  }
  if (!any) {
    svg.append(s('text', { x: M.left + plotW / 2, y: M.top + plotH / 2, class: 'chart-empty', 'text-anchor': 'middle' },
      'no samples yet'));
  }
  return svg;
}
