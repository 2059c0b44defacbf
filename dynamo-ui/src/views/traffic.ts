// #/traffic: requests/s and latency per operation over the last 5 minutes, then overload and
// siblings; for all nodes or one.

import { lineChart, type Series } from '../chart';
import { sortIds } from '../colors';
import { fill, h, setOptions } from '../dom';
import { fmtValue } from '../format';
import { extraSeries, latest, opSeries, peak } from '../traffic-series';
import { OPS } from '../types';
import { field } from '../widgets';
import type { View, ViewContext } from './view';

export const WINDOW_MS = 5 * 60_000;

const COLORS = {
  rate: '#3b6fb6',
  p50: '#3a9a5b',
  p99: '#e0812f',
  p999: '#c8414b',
  overloaded: '#c8414b',
  admission: '#e0812f',
  siblings: '#7a5ca8',
  maxSiblings: '#2a9a9c',
};

interface Panel {
  el: HTMLElement;
  set(title: string, current: Array<[string, string, string]>, chart: SVGSVGElement): void;
}

function panel(): Panel {
  const title = h('h3', { class: 'panel-title' });
  const values = h('div', { class: 'panel-values' });
  const body = h('div', { class: 'panel-chart' });
  return {
    el: h('section', { class: 'card chart-panel' }, h('header', { class: 'card-head' }, title, values), body),
    set(text, current, chart) {
      fill(title, text);
      fill(values, current.map(([label, value, color]) =>
        h('span', { class: 'current' },
          h('span', { class: 'key-line', style: `background:${color}` }),
          label ? h('span', { class: 'muted' }, `${label} `) : null,
          h('strong', null, value))));
      fill(body, chart);
    },
  };
}

export function trafficView({ store }: ViewContext): View {
  const select = h('select', { 'data-testid': 'traffic-node' }, h('option', { value: 'all' }, 'all nodes'));
  const panels = new Map<string, Panel>();
  const grid = h('div', { class: 'chart-grid' });
  for (const id of [...OPS.flatMap((op) => [`${op}-rate`, `${op}-latency`]), 'overloaded', 'siblings']) {
    const p = panel();
    panels.set(id, p);
    grid.append(p.el);
  }
  const note = h('span', { class: 'muted' });
  const el = h('div', { class: 'view view-traffic' },
    h('div', { class: 'toolbar' }, field('Node', select), note),
    grid);

  function update(): void {
    const nodes = sortIds(store.cluster?.members.map((m) => m.id) ?? store.traffic.nodes());
    setOptions(select, [['all', 'all nodes'], ...nodes.map((n): [string, string] => [n, n])]);
    const scope = select.value || 'all';
    const selected = scope === 'all' ? store.traffic.nodes() : [scope];
    const to = Math.max(store.cluster?.time_ms ?? 0, store.traffic.maxT()) || Date.now();
    const from = to - WINDOW_MS;
    const gapMs = 2500;
    const who = scope === 'all' ? 'slowest coordinator' : scope;
    fill(note, scope === 'all'
      ? 'Rates are summed over the nodes; latencies are the slowest coordinator at each second.'
      : `Node ${scope} only.`);

    const chart = (id: string, label: string, series: Series[]) =>
      lineChart({ id, label, series, from, to, gapMs });

    for (const op of OPS) {
      const s = opSeries(store.traffic, selected, op);
      panels.get(`${op}-rate`)?.set(`${op} · requests/s`,
        [['', fmtValue(latest(s.rate)), COLORS.rate]],
        chart(`${op}-rate`, `${op} requests per second`, [{ name: 'rate', color: COLORS.rate, points: s.rate }]));
      panels.get(`${op}-latency`)?.set(`${op} · latency ms · ${who}`,
        [['p50', fmtValue(latest(s.p50)), COLORS.p50], ['p99', fmtValue(latest(s.p99)), COLORS.p99],
          ['p99.9', fmtValue(latest(s.p999)), COLORS.p999]],
        chart(`${op}-latency`, `${op} latency in ms, ${who}`, [
          { name: 'p50', color: COLORS.p50, points: s.p50 },
          { name: 'p99', color: COLORS.p99, points: s.p99 },
          { name: 'p99.9', color: COLORS.p999, points: s.p999 },
        ]));
    }
    const x = extraSeries(store.traffic, selected);
    panels.get('overloaded')?.set('overloaded · refused/s',
      [['requests', fmtValue(latest(x.overloaded)), COLORS.overloaded],
        ['background work', fmtValue(latest(x.admissionRefused)), COLORS.admission]],
      chart('overloaded', 'requests refused as overloaded, and background work refused by admission, per second', [
        { name: 'overloaded', color: COLORS.overloaded, points: x.overloaded },
        { name: 'admission refused', color: COLORS.admission, points: x.admissionRefused },
      ]));
    panels.get('siblings')?.set('siblings',
      [['gets with siblings/s', fmtValue(latest(x.withSiblings)), COLORS.siblings],
        ['most siblings (5 min)', fmtValue(peak(x.maxSiblings, from)), COLORS.maxSiblings]],
      chart('siblings', 'gets returning siblings per second, and the largest sibling count', [
        { name: 'gets with siblings', color: COLORS.siblings, points: x.withSiblings },
        { name: 'max siblings', color: COLORS.maxSiblings, points: x.maxSiblings, dashed: true },
      ]));
  }

  select.addEventListener('change', update);
  return { el, update };
}
