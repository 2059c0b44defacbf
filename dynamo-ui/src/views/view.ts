// What every view provides: its root element, built once, and an update from the store.

import type { Poller } from '../poller';
import type { Store } from '../state';

export interface View {
  readonly el: HTMLElement;
  /** Re-renders the parts that depend on polled data; form fields keep what the user typed. */
  update(): void;
}

export interface ViewContext {
  readonly store: Store;
  readonly poller: Poller;
}
