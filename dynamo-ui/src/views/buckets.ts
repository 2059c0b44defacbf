// Bucket properties: the defaults and every bucket with properties of its own, and one editor
// that either sets properties of a bucket typed by name or, opened from a row, edits that row.

import { api } from '../api';
import { compareIds } from '../colors';
import { confirmAction } from '../dialog';
import { fill, h } from '../dom';
import type { Poller } from '../poller';
import type { Store } from '../state';
import type { Props } from '../types';
import { empty } from '../widgets';
import type { ActionResult } from './action-result';

const MAIN = ['n', 'r', 'w', 'dw'] as const;
type MainProp = (typeof MAIN)[number];

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function others(props: Props | null | undefined): string {
  return Object.entries(props ?? {})
    .filter(([k]) => !(MAIN as readonly string[]).includes(k))
    .map(([k, v]) => `${k}=${text(v)}`)
    .join('  ');
}

/** Checks the filled fields; returns the properties to send or a message saying what is wrong. */
export function validateProps(
  filled: Partial<Record<MainProp, string>>,
  current: Props,
): { props: Record<string, number> } | { error: string } {
  const props: Record<string, number> = {};
  for (const key of MAIN) {
    const raw = filled[key];
    if (raw === undefined) continue;
    if (!/^\d+$/.test(raw)) return { error: `${key} must be a whole number, not “${raw}”` };
    props[key] = Number(raw);
  }
  if (Object.keys(props).length === 0) return { error: 'Nothing to change: fill at least one of n, r, w, dw.' };
  const effective = (key: MainProp): number | null => {
    if (props[key] !== undefined) return props[key] ?? null;
    const v = Number(text(current[key]));
    return text(current[key]) !== '' && Number.isFinite(v) ? v : null;
  };
  const n = effective('n');
  if (n !== null) {
    for (const key of ['r', 'w'] as const) {
      const v = effective(key);
      if (v !== null && v > n) return { error: `${key} (${v}) must be at most n (${n})` };
    }
  }
  return { props };
}

export class BucketsPanel {
  readonly el: HTMLElement;
  private readonly tableHolder = h('div', { class: 'table-wrap' });
  private readonly home = h('div', { class: 'editor-home' });
  private readonly name = h('input', { type: 'text', 'data-testid': 'bucket-name', placeholder: 'bucket name', spellcheck: 'false', autocomplete: 'off' });
  private readonly inputs: Record<MainProp, HTMLInputElement>;
  private readonly save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'bucket-save' }, 'Save');
  private readonly cancel = h('button', { type: 'button', class: 'btn', hidden: true }, 'Cancel');
  private readonly heading = h('h3', { class: 'form-title' });
  private readonly form: HTMLFormElement;
  /** The bucket edited from its row, or null for the "any bucket by name" form. */
  private editing: string | null = null;
  private original: Partial<Record<MainProp, string>> = {};
  private drawn = '';

  constructor(private readonly store: Store, private readonly poller: Poller, private readonly result: ActionResult) {
    const input = (key: MainProp) => h('input', {
      type: 'text', inputmode: 'numeric', class: 'narrow', 'data-testid': `bucket-${key}`, 'aria-label': key, autocomplete: 'off',
    });
    this.inputs = { n: input('n'), r: input('r'), w: input('w'), dw: input('dw') };
    this.form = h('form', { class: 'bucket-form', novalidate: true },
      this.heading,
      h('div', { class: 'form-row' },
        h('label', { class: 'field' }, h('span', { class: 'field-label' }, 'Bucket'), this.name),
        MAIN.map((key) => h('label', { class: 'field' }, h('span', { class: 'field-label' }, key), this.inputs[key])),
        h('div', { class: 'form-buttons' }, this.save, this.cancel)),
      h('p', { class: 'field-hint' }, 'Only the fields you fill or change are sent. r and w must be at most n; the node checks the rest.'));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.cancel.addEventListener('click', () => this.closeEditor());
    this.form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.editing !== null) this.closeEditor();
    });
    this.home.append(this.form);
    this.el = h('div', { class: 'buckets' }, this.tableHolder, this.home);
    this.resetForm();
  }

  update(): void {
    const buckets = this.store.buckets;
    const signature = JSON.stringify(buckets);
    // Rebuilding would move the open row editor and lose the caret: wait until it is closed.
    if (signature === this.drawn || this.editing !== null) return;
    this.drawn = signature;
    this.placeholders();
    if (!buckets) {
      fill(this.tableHolder, empty('Waiting for the buckets…'));
      return;
    }
    const defaults = buckets.defaults ?? {};
    const names = Object.keys(buckets.buckets ?? {}).sort(compareIds);
    const row = (name: string, props: Props, source: string, editable: boolean) =>
      h('tr', { 'data-testid': 'bucket', 'data-bucket': name, class: editable ? '' : 'defaults-row' },
        h('td', null, editable ? h('span', { class: 'mono' }, name) : h('em', null, 'defaults')),
        MAIN.map((key) => h('td', { class: 'num' }, text(props[key]) || '–')),
        h('td', { class: 'props-other' }, others(props)),
        h('td', null, h('span', { class: 'tag' }, source)),
        h('td', { class: 'row-actions' }, editable
          ? h('button', { type: 'button', class: 'btn btn-small', 'data-testid': 'bucket-edit', 'data-bucket': name,
            onclick: () => this.openEditor(name) }, 'Edit')
          : null));
    fill(this.tableHolder, h('table', { class: 'table compact buckets-table' },
      h('thead', null, h('tr', null, h('th', null, 'Bucket'), MAIN.map((k) => h('th', { class: 'num' }, k)),
        h('th', null, 'Other properties'), h('th', null, 'Source'), h('th', null, ''))),
      h('tbody', null,
        row('(defaults)', defaults, 'defaults', false),
        names.map((name) => {
          const info = buckets.buckets?.[name] ?? {};
          return row(name, info.props ?? {}, info.source ?? '–', true);
        }))));
  }

  private currentProps(name: string): Props {
    const buckets = this.store.buckets;
    return buckets?.buckets?.[name]?.props ?? buckets?.defaults ?? {};
  }

  private placeholders(): void {
    if (this.editing !== null) return;
    const defaults = this.store.buckets?.defaults ?? {};
    for (const key of MAIN) this.inputs[key].placeholder = text(defaults[key]);
  }

  private openEditor(name: string): void {
    this.closeEditor();
    const row = this.tableHolder.querySelector<HTMLTableRowElement>(`tr[data-testid=bucket][data-bucket="${CSS.escape(name)}"]`);
    if (!row) return;
    this.editing = name;
    const props = this.currentProps(name);
    this.original = {};
    for (const key of MAIN) {
      this.original[key] = text(props[key]);
      this.inputs[key].value = text(props[key]);
      this.inputs[key].placeholder = '';
    }
    this.name.value = name;
    this.name.readOnly = true;
    this.cancel.hidden = false;
    fill(this.heading, 'Edit bucket ', h('span', { class: 'mono' }, name));
    row.classList.add('editing');
    row.after(h('tr', { class: 'editor-row' }, h('td', { colspan: 9 }, this.form)));
    this.inputs.n.focus();
  }

  private closeEditor(): void {
    if (this.editing === null) return;
    this.tableHolder.querySelector('tr.editor-row')?.remove();
    this.tableHolder.querySelector('tr.editing')?.classList.remove('editing');
    this.editing = null;
    this.home.append(this.form);
    this.resetForm();
    this.update();
  }

  private resetForm(): void {
    this.name.readOnly = false;
    this.name.value = '';
    this.original = {};
    for (const key of MAIN) this.inputs[key].value = '';
    this.cancel.hidden = true;
    fill(this.heading, 'Set bucket properties');
    this.placeholders();
  }

  private async submit(): Promise<void> {
    const name = this.name.value.trim();
    const what = `Set properties of bucket “${name}”`;
    if (!name) {
      this.result.invalid('Set bucket properties', 'Type the bucket’s name.');
      this.name.focus();
      return;
    }
    const filled: Partial<Record<MainProp, string>> = {};
    for (const key of MAIN) {
      const value = this.inputs[key].value.trim();
      this.inputs[key].removeAttribute('aria-invalid');
      const changed = this.editing !== null ? value !== (this.original[key] ?? '') : value !== '';
      if (changed) filled[key] = value;
    }
    const exists = this.store.buckets?.buckets?.[name] !== undefined;
    const checked = validateProps(filled, this.currentProps(name));
    if ('error' in checked) {
      const bad = MAIN.find((key) => checked.error.startsWith(`${key} `));
      if (bad) this.inputs[bad].setAttribute('aria-invalid', 'true');
      this.result.invalid(what, checked.error);
      return;
    }
    const current = this.currentProps(name);
    const changes = Object.entries(checked.props).map(([k, v]) =>
      exists && text(current[k]) !== '' ? `${k} ${text(current[k])} → ${v}` : `${k} = ${v}`);
    const ok = await confirmAction({
      title: exists ? `Change bucket “${name}”` : `Set properties of bucket “${name}”`,
      message: exists
        ? `Bucket “${name}” will change for the whole cluster: ${changes.join(', ')}. Its other properties stay as they are.`
        : `Bucket “${name}” will get ${changes.join(', ')} for the whole cluster; its other properties are the defaults.`,
      confirmLabel: 'Save',
    });
    if (!ok) return;
    this.result.pending(what);
    try {
      const answer = await api.setBucket(name, checked.props);
      this.result.success(what, answer);
      this.closeEditor();
      this.resetForm();
      this.poller.refreshNow();
    } catch (e) {
      this.result.failure(what, e);
    }
  }
}
