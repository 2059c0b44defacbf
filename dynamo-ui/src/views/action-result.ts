// The outcome of the last action: the server's answer, or its error message.

import { ApiError, errorMessage } from '../api';
import { fill, h } from '../dom';

export class ActionResult {
  readonly el: HTMLElement;
  private readonly placeholder = h('p', { class: 'empty' }, 'Actions ask for confirmation first; their outcome shows here.');
  private readonly result = h('div', { class: 'action-result', 'data-testid': 'action-result', role: 'status', hidden: true });

  constructor() {
    this.el = h('div', { class: 'action-result-holder' }, this.placeholder, this.result);
  }

  pending(what: string): void {
    this.result.hidden = true;
    this.placeholder.hidden = false;
    fill(this.placeholder, `${what}…`);
  }

  success(what: string, answer: unknown): void {
    this.show(true, what, h('pre', { class: 'answer' }, answer === null || answer === undefined ? '(empty answer)' : JSON.stringify(answer, null, 2)));
  }

  failure(what: string, error: unknown): void {
    const status = error instanceof ApiError && error.status ? ` (HTTP ${error.status}${error.kind && error.kind !== 'http' ? `, ${error.kind}` : ''})` : '';
    this.show(false, what, h('p', { class: 'error-text' }, errorMessage(error), h('span', { class: 'muted' }, status)));
  }

  /** A request the page refused to send. */
  invalid(what: string, message: string): void {
    this.show(false, `${what}: not sent`, h('p', { class: 'error-text' }, message));
  }

  private show(ok: boolean, what: string, detail: HTMLElement): void {
    this.placeholder.hidden = true;
    this.result.hidden = false;
    this.result.setAttribute('data-ok', String(ok));
    this.result.className = `action-result ${ok ? 'is-ok' : 'is-error'}`;
    fill(this.result, h('div', { class: 'action-title' }, h('span', { class: `badge badge-${ok ? 'ok' : 'bad'}` }, ok ? 'done' : 'failed'), what), detail);
    this.result.scrollIntoView({ block: 'nearest' });
  }
}
