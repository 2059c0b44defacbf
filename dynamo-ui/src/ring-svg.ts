// The ring drawn as an SVG circle: one arc per partition filled with its owner's colour,
// partition 0 at the top, going clockwise; an optional thin inner ring with the next owners.

import { s } from './dom';
import type { RingOwner } from './types';

export interface RingDrawing {
  partitions: number;
  owners: readonly RingOwner[];
  next: readonly RingOwner[] | null;
  color: (node: string) => string;
  highlight: number | null;
  center: string[];
}

const SIZE = 440;
const C = SIZE / 2;
const OUTER = 180;
const INNER = 132;
const NEXT_OUTER = 124;
const NEXT_INNER = 112;
const LABEL = 200;

function point(r: number, angle: number): string {
  return `${(C + r * Math.sin(angle)).toFixed(2)} ${(C - r * Math.cos(angle)).toFixed(2)}`;
}

/** An annular sector between radii r0 < r1 and angles a0 < a1 (radians clockwise from the top). */
export function sector(r0: number, r1: number, a0: number, a1: number): string {
  const end = Math.min(a1, a0 + 2 * Math.PI - 1e-4);
  const large = end - a0 > Math.PI ? 1 : 0;
  return `M${point(r1, a0)}A${r1} ${r1} 0 ${large} 1 ${point(r1, end)}` +
    `L${point(r0, end)}A${r0} ${r0} 0 ${large} 0 ${point(r0, a0)}Z`;
}

function angles(partition: number, partitions: number): [number, number] {
  const step = (2 * Math.PI) / partitions;
  return [partition * step, (partition + 1) * step];
}

export function drawRing(d: RingDrawing): SVGSVGElement {
  const svg = s('svg', {
    class: 'ring', viewBox: `0 0 ${SIZE} ${SIZE}`, 'data-testid': 'ring', role: 'img',
    'aria-label': `Ring of ${d.partitions} partitions`,
  });
  const P = Math.max(1, d.partitions);
  const thin = P > 128;

  const arcs = s('g', { class: thin ? 'arcs thin' : 'arcs' });
  for (const owner of d.owners) {
    const node = owner.nodes[0] ?? '';
    const [a0, a1] = angles(owner.partition, P);
    const replicas = owner.nodes.slice(1);
    arcs.append(s('path', {
      d: sector(INNER, OUTER, a0, a1), fill: node ? d.color(node) : '#d5d9de',
      'data-partition': owner.partition, 'data-owner': node,
      class: owner.partition === d.highlight ? 'arc highlighted' : 'arc',
    }, s('title', null, `Partition ${owner.partition}: ${node || 'no owner'}` +
      (replicas.length ? ` (replicas ${replicas.join(', ')})` : ''))));
  }
  svg.append(arcs);

  if (d.next) {
    const nextArcs = s('g', { class: 'arcs next' });
    for (const owner of d.next) {
      const node = owner.nodes[0] ?? '';
      const [a0, a1] = angles(owner.partition, P);
      nextArcs.append(s('path', {
        d: sector(NEXT_INNER, NEXT_OUTER, a0, a1), fill: node ? d.color(node) : '#d5d9de',
        'data-next-partition': owner.partition, 'data-next-owner': node, class: 'arc',
      }, s('title', null, `Partition ${owner.partition} after the change: ${node || 'no owner'}`)));
    }
    svg.append(nextArcs);
  }

  // Quarter marks with their partition numbers.
  const marks = s('g', { class: 'ring-marks' });
  for (let q = 0; q < 4; q++) {
    const partition = Math.round((q * P) / 4);
    const a = (partition / P) * 2 * Math.PI;
    marks.append(s('line', { x1: C + (OUTER + 3) * Math.sin(a), y1: C - (OUTER + 3) * Math.cos(a),
      x2: C + (OUTER + 9) * Math.sin(a), y2: C - (OUTER + 9) * Math.cos(a) }),
    s('text', { x: C + LABEL * Math.sin(a), y: C - LABEL * Math.cos(a), 'text-anchor': 'middle', 'dominant-baseline': 'middle' },
      String(partition)));
  }
  svg.append(marks);

  if (d.highlight !== null && d.highlight >= 0 && d.highlight < P) {
    const [a0, a1] = angles(d.highlight, P);
    const mid = (a0 + a1) / 2;
    const tipR = OUTER + 4;
    const baseR = OUTER + 16;
    const spread = 0.045;
    svg.append(s('g', { class: 'ring-highlight', 'data-highlight-partition': d.highlight },
      s('path', { d: sector(INNER - 2, OUTER + 2, a0, a1), class: 'outline' }),
      s('path', { d: `M${point(tipR, mid)}L${point(baseR, mid - spread)}L${point(baseR, mid + spread)}Z`, class: 'pointer' })));
  }

  const lines = d.center.filter((line) => line);
  const text = s('text', { x: C, y: C - ((lines.length - 1) * 20) / 2, class: 'ring-center', 'text-anchor': 'middle', 'dominant-baseline': 'middle' });
  lines.forEach((line, i) => text.append(s('tspan', { x: C, dy: i === 0 ? 0 : 20, class: i === 0 ? 'big' : '' }, line)));
  svg.append(text);
  return svg;
}
