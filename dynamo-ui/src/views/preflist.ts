// "Where does a key live?": bucket and key inputs, and the key's preference list fetched as the
// user types (debounced). Unreachable primaries are crossed out, with the fallback standing in.

import { api, errorMessage } from '../api';
import { fill, h } from '../dom';
import type { Store } from '../state';
import type { PreflistResponse } from '../types';
import { empty, field, swatch } from '../widgets';

export const DEBOUNCE_MS = 300;

type Role = 'primary' | 'fallback' | 'unreachable-primary' | 'next-owner';

export class PreflistBox {
  readonly el: HTMLElement;
  /** The partition of the key shown, for the ring to highlight. */
  partition: number | null = null;
  onChange: () => void = () => {};

  private readonly bucket = h('input', {
    type: 'text', value: 'default', 'data-testid': 'preflist-bucket', spellcheck: 'false', autocomplete: 'off',
  });
  private readonly key = h('input', {
    type: 'text', placeholder: 'a key, e.g. alice', 'data-testid': 'preflist-key', spellcheck: 'false', autocomplete: 'off',
  });
  private readonly out = h('div', { class: 'preflist', 'data-testid': 'preflist', 'aria-live': 'polite' });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: AbortController | null = null;
  private result: PreflistResponse | null = null;
  private signature = '';

  constructor(private readonly store: Store) {
    this.el = h('div', { class: 'keybox' },
      h('div', { class: 'keybox-fields' }, field('Bucket', this.bucket), field('Key', this.key)),
      this.out);
    for (const input of [this.bucket, this.key]) input.addEventListener('input', () => this.schedule());
    this.render(null);
  }

  /** Asks again when the ring or the set of unreachable nodes changed. */
  update(): void {
    const cluster = this.store.cluster;
    const unreachable = (cluster?.members ?? []).filter((m) => m.answered === false || m.reachable === false).map((m) => m.id);
    const signature = `${this.store.ring?.epoch ?? ''}|${cluster?.ring.epoch ?? ''}|${unreachable.join(',')}`;
    if (signature !== this.signature) {
      this.signature = signature;
      if (this.result && this.key.value) void this.lookup();
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.lookup(), DEBOUNCE_MS);
  }

  private async lookup(): Promise<void> {
    this.inFlight?.abort();
    const bucket = this.bucket.value.trim();
    const key = this.key.value;
    if (!key || !bucket) {
      this.inFlight = null;
      this.show(null);
      this.render(null);
      return;
    }
    const controller = new AbortController();
    this.inFlight = controller;
    try {
      const answer = await api.preflist(bucket, key, controller.signal);
      if (controller.signal.aborted) return;
      this.show(answer);
      this.render(answer);
    } catch (e) {
      if (controller.signal.aborted) return;
      this.show(null);
      fill(this.out, h('p', { class: 'error-text', 'data-testid': 'preflist-error', role: 'alert' }, errorMessage(e)));
    } finally {
      if (this.inFlight === controller) this.inFlight = null;
    }
  }

  private show(answer: PreflistResponse | null): void {
    this.result = answer;
    const partition = answer ? answer.partition : null;
    if (partition !== this.partition) {
      this.partition = partition;
      this.onChange();
    }
  }

  private chip(node: string, role: Role): HTMLElement {
    return h('span', { class: `node-chip role-${role}`, 'data-testid': 'preflist-node', 'data-node': node, 'data-role': role },
      swatch(this.store.colors.of(node)), h('span', { class: 'node-id' }, node));
  }

  private render(answer: PreflistResponse | null): void {
    if (!answer) {
      this.out.removeAttribute('data-partition');
      fill(this.out, empty('Type a key to see its partition and the nodes that hold it.'));
      return;
    }
    this.out.setAttribute('data-partition', String(answer.partition));
    const unreachable = new Set(answer.unreachable ?? []);
    const covered = new Set<string>();
    const rows: HTMLElement[] = [];
    for (const entry of answer.now ?? []) {
      const standsInFor = entry.stands_in_for;
      if (standsInFor) {
        covered.add(standsInFor);
        rows.push(h('li', null,
          this.chip(standsInFor, 'unreachable-primary'),
          h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
          this.chip(entry.node, 'fallback'),
          h('span', { class: 'role-text' }, `fallback for ${standsInFor}`)));
      } else if (unreachable.has(entry.node)) {
        covered.add(entry.node);
        rows.push(h('li', null, this.chip(entry.node, 'unreachable-primary'), h('span', { class: 'role-text' }, 'unreachable, no fallback')));
      } else {
        rows.push(h('li', null, this.chip(entry.node, 'primary'), h('span', { class: 'role-text' }, 'primary')));
      }
    }
    // Unreachable primaries the server found no stand-in for.
    for (const node of answer.primaries ?? []) {
      if (unreachable.has(node) && !covered.has(node) && !(answer.now ?? []).some((e) => e.node === node)) {
        rows.push(h('li', null, this.chip(node, 'unreachable-primary'), h('span', { class: 'role-text' }, 'unreachable, no fallback')));
      }
    }
    const next = (answer.next_owners ?? []).map((n) => (typeof n === 'string' ? n : n.node)).filter((n) => n);
    fill(this.out,
      h('div', { class: 'preflist-head' },
        h('span', null, 'Partition '), h('strong', { 'data-testid': 'preflist-partition' }, String(answer.partition)),
        h('span', { class: 'muted' }, ` · n = ${answer.n} · ${answer.bucket}/${answer.key}`)),
      h('ol', { class: 'preflist-nodes' }, rows),
      next.length > 0
        ? h('div', { class: 'preflist-next' }, h('span', { class: 'muted' }, 'After the ring change: '),
          next.map((n) => this.chip(n, 'next-owner')))
        : null);
  }
}
