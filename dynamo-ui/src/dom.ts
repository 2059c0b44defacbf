// Small helpers to build DOM trees. Text always goes in as text nodes, so strings from the
// server can never turn into markup.

export type AttrValue = string | number | boolean | null | undefined;
export type Listener = (event: Event) => void;
export type Attrs = Record<string, AttrValue | Listener>;
export type Child = Node | string | number | null | undefined | false | Child[];

const SVG_NS = 'http://www.w3.org/2000/svg';

function applyAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') {
      el.addEventListener(name.replace(/^on/, ''), value);
    } else if (value === true) {
      el.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      el.setAttribute(name, String(value));
    }
  }
}

function appendChildren(el: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) appendChildren(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Creates an HTML element. Attribute values that are functions become event listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  appendChildren(el, children);
  return el;
}

/** Creates an SVG element. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  appendChildren(el, children);
  return el;
}

/** Replaces all children of el. */
export function fill(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  appendChildren(el, children);
}

/** A titled panel. */
export function card(title: Child, body: Child[], attrs?: Attrs): HTMLElement {
  return h('section', { ...attrs, class: `card ${String(attrs?.['class'] ?? '')}`.trim() },
    h('header', { class: 'card-head' }, title),
    h('div', { class: 'card-body' }, body));
}

/** Replaces the options of a select, keeping the selected value when it is still offered. */
export function setOptions(select: HTMLSelectElement, options: Array<[string, string]>): void {
  const current = select.value;
  const same = select.options.length === options.length &&
    options.every(([value, label], i) => {
      const opt = select.options[i];
      return opt !== undefined && opt.value === value && opt.text === label;
    });
  if (same) return;
  fill(select, options.map(([value, label]) => h('option', { value }, label)));
  if (options.some(([value]) => value === current)) select.value = current;
}
