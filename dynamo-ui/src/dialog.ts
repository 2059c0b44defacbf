// Confirmation dialog: a modal <dialog>; Escape or "Cancel" answers false, the confirm button
// (focused when the dialog opens) answers true.

import { h } from './dom';

export interface ConfirmOptions {
  title: string;
  /** The sentence saying exactly what will happen. */
  message: string;
  confirmLabel: string;
  danger?: boolean;
}

export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const yes = h('button', { type: 'button', class: options.danger ? 'btn btn-danger' : 'btn btn-primary', 'data-testid': 'confirm-yes' },
      options.confirmLabel);
    const no = h('button', { type: 'button', class: 'btn', 'data-testid': 'confirm-no' }, 'Cancel');
    const title = h('h2', { id: 'confirm-title' }, options.title);
    const text = h('p', { id: 'confirm-text' }, options.message);
    const dialog = h('dialog', {
      class: 'confirm', 'data-testid': 'confirm', 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-text',
    }, title, text, h('div', { class: 'confirm-buttons' }, no, yes));

    let answered = false;
    const finish = (answer: boolean) => {
      if (answered) return;
      answered = true;
      if (dialog.open) dialog.close();
      dialog.remove();
      opener?.focus();
      resolve(answer);
    };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        finish(false);
      }
    });
    dialog.addEventListener('close', () => finish(false));

    document.body.appendChild(dialog);
    dialog.showModal();
    yes.focus();
  });
}
