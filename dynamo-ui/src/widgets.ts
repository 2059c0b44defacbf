// Small shared pieces of markup.

import { h } from './dom';

export function swatch(color: string): HTMLElement {
  return h('span', { class: 'swatch', style: `background:${color}`, 'aria-hidden': 'true' });
}

export function badge(text: string, tone: string): HTMLElement {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** A placeholder line for empty sections. */
export function empty(text: string, attrs?: Record<string, string>): HTMLElement {
  return h('p', { ...attrs, class: 'empty' }, text);
}

export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h('label', { class: 'field' }, h('span', { class: 'field-label' }, label), control,
    hint ? h('span', { class: 'field-hint' }, hint) : null);
}
