// #/ring: the ring drawing, the ownership legend, and the key box.

import { sortIds } from '../colors';
import { card, fill, h } from '../dom';
import { fmtPercent } from '../format';
import { hasLeft } from '../model';
import { drawRing } from '../ring-svg';
import type { RingOwner } from '../types';
import { empty, swatch } from '../widgets';
import { PreflistBox } from './preflist';
import type { View, ViewContext } from './view';

function countOwners(owners: readonly RingOwner[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of owners) {
    const node = o.nodes[0];
    if (node) counts[node] = (counts[node] ?? 0) + 1;
  }
  return counts;
}

export function ringView({ store }: ViewContext): View {
  const drawing = h('div', { class: 'ring-holder' });
  const legend = h('div', { class: 'legend' });
  const ringTitle = h('span', null, 'Ring');
  const keybox = new PreflistBox(store);
  let drawnKey = '';

  const el = h('div', { class: 'view view-ring' },
    h('div', { class: 'ring-layout' },
      card(ringTitle, [drawing], { class: 'ring-card' }),
      h('div', { class: 'ring-side' },
        card('Ownership', [legend]),
        card('Where does a key live?', [keybox.el]))));

  function renderRing(): void {
    const ring = store.ring;
    if (!ring) {
      drawnKey = '';
      fill(drawing, empty('Waiting for the ring…'));
      return;
    }
    const next = ring.next ?? null;
    const key = JSON.stringify([ring.epoch, ring.owners, next?.epoch, next?.owners, keybox.partition, store.nodeIds()]);
    if (key === drawnKey) return;
    drawnKey = key;
    fill(ringTitle, 'Ring', h('span', { class: 'card-sub' },
      next ? `epoch ${ring.epoch} → ${next.epoch}, changing` : `epoch ${ring.epoch}, settled`));
    fill(drawing,
      drawRing({
        partitions: ring.partitions,
        owners: ring.owners ?? [],
        next: next?.owners ?? null,
        color: (node) => store.colors.of(node),
        highlight: keybox.partition,
        center: [`${ring.partitions}`, 'partitions', `n = ${ring.n}`],
      }),
      next
        ? h('p', { class: 'ring-note' }, 'Outer ring: owners now. Thin inner ring: owners once the change is done.')
        : null);
  }

  function renderLegend(): void {
    const ring = store.ring;
    const cluster = store.cluster;
    const partitions = ring?.partitions ?? cluster?.ring.partitions ?? 0;
    const owned = ring?.partitions_owned ?? (ring ? countOwners(ring.owners ?? []) : cluster?.ring.partitions_owned ?? {});
    const nextOwned = ring
      ? ring.next ? ring.next.partitions_owned ?? countOwners(ring.next.owners ?? []) : null
      : cluster?.ring.next_partitions_owned ?? null;
    if (!partitions) {
      fill(legend, empty('Waiting for the ring…'));
      return;
    }
    // A member that left owns nothing and is gone: listed only while a ring still gives it partitions.
    const members = (cluster?.members ?? []).filter((m) => !hasLeft(m)).map((m) => m.id);
    const ids = sortIds([...members, ...Object.keys(owned), ...Object.keys(nextOwned ?? {})]);
    fill(legend, h('table', { class: 'table legend-table' },
      h('thead', null, h('tr', null,
        h('th', null, 'Node'), h('th', { class: 'num' }, 'Partitions'), h('th', { class: 'num' }, 'Share'),
        nextOwned ? [h('th', { class: 'num' }, 'Next'), h('th', { class: 'num' }, 'Next share')] : null)),
      h('tbody', null, ids.map((id) => {
        const count = owned[id] ?? 0;
        const nextCount = nextOwned ? nextOwned[id] ?? 0 : null;
        return h('tr', {
          'data-testid': 'ring-share', 'data-node': id, 'data-partitions': count,
          'data-next-partitions': nextCount ?? undefined,
        },
        h('td', null, swatch(store.colors.of(id)), h('span', { class: 'node-id' }, id)),
        h('td', { class: 'num' }, String(count)),
        h('td', { class: 'num' }, fmtPercent(count, partitions)),
        nextCount !== null
          ? [h('td', { class: `num ${nextCount > count ? 'up' : nextCount < count ? 'down' : ''}` }, String(nextCount)),
            h('td', { class: 'num' }, fmtPercent(nextCount, partitions))]
          : null);
      }))));
  }

  keybox.onChange = renderRing;

  return {
    el,
    update(): void {
      renderRing();
      renderLegend();
      keybox.update();
    },
  };
}
