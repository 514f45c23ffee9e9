// The one dialog behaviour of the app, as a Svelte action on a native <dialog>: shown with
// showModal() (the page behind is inert, Escape is a close request wherever focus is inside),
// focus moved into it, Tab and Shift+Tab kept inside, a click on the backdrop closes, and focus
// returned on close to the control that opened it. The dialog lives as long as its component:
// closing means the owner unmounts it (`onclose`), so the action never calls onclose on unmount.

import type { Action } from 'svelte/action';

export interface ModalOptions {
  /** The user asked to close (Escape, backdrop): the owner unmounts the dialog. */
  onclose: () => void;
  /** Where focus goes first (a selector inside the dialog); else the first focusable control. */
  initialFocus?: string;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}

/** Each open dialog's opener, so a dialog opened from a dialog that is gone by now (Load confirm →
 *  Settings) can return focus to what opened the first one. */
const openers = new WeakMap<HTMLDialogElement, HTMLElement | null>();

export const modal: Action<HTMLDialogElement, ModalOptions> = (dialog, initial) => {
  let options = initial;
  const active = document.activeElement;
  const opener = active instanceof HTMLElement && active !== document.body ? active : null;
  const parent = opener?.closest('dialog');
  const fallback = parent ? (openers.get(parent) ?? null) : null;
  openers.set(dialog, opener ?? fallback);

  const close = () => options.onclose();
  const oncancel = (e: Event) => {
    // The owner unmounts the dialog; closing it natively first would fire `close` for nothing.
    e.preventDefault();
    close();
  };
  const onkeydown = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && !e.defaultPrevented) {
      // Chromium drops repeated close requests without a user activation in between; Escape must
      // close every time, so the key is handled here, not left to the close watcher.
      e.preventDefault();
      close();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = focusables(dialog);
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items[items.length - 1]!;
    const active = document.activeElement;
    const inside = active instanceof Node && dialog.contains(active) && active !== dialog;
    if (e.shiftKey && (!inside || active === first)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (!inside || active === last)) {
      e.preventDefault();
      first.focus();
    }
  };
  const onclick = (e: MouseEvent) => {
    if (e.target !== dialog) return;
    // A click on ::backdrop is dispatched to the dialog itself, outside its box.
    const r = dialog.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) close();
  };
  // Focus that falls out of the dialog (a control that re-rendered or became disabled under it)
  // comes back to the dialog, so keys keep reaching it.
  const onfocusout = (e: FocusEvent) => {
    if (e.relatedTarget === null)
      queueMicrotask(() => {
        if (dialog.open && !dialog.contains(document.activeElement)) dialog.focus();
      });
  };

  dialog.addEventListener('cancel', oncancel);
  dialog.addEventListener('keydown', onkeydown);
  dialog.addEventListener('click', onclick);
  dialog.addEventListener('focusout', onfocusout);
  if (!dialog.open) dialog.showModal();
  const target = (options.initialFocus && dialog.querySelector<HTMLElement>(options.initialFocus)) || focusables(dialog)[0];
  target?.focus();

  return {
    update(next: ModalOptions) {
      options = next;
    },
    destroy() {
      dialog.removeEventListener('cancel', oncancel);
      dialog.removeEventListener('keydown', onkeydown);
      dialog.removeEventListener('click', onclick);
      dialog.removeEventListener('focusout', onfocusout);
      if (dialog.open) dialog.close();
      const back = [opener, fallback].find((el) => el?.isConnected);
      back?.focus();
    },
  };
};
