// A modal on top of the native <dialog>: focus moves in and stays in, Esc and the backdrop close it,
// and focus goes back to the control that opened it (or that control's re-rendered twin).

import { findByFocusKey, focusKeyOf, focusables } from "./dom.js";

export function createDialog(dialog, { onClose } = {}) {
  let opener = null;
  let openerKey = null;

  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Tab") keepFocusInside(event);
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog || event.target.closest("[data-close]")) dialog.close();
  });
  dialog.addEventListener("close", () => {
    const target = opener?.isConnected ? opener : findByFocusKey(openerKey);
    opener = openerKey = null;
    target?.focus();
    onClose?.();
  });

  function keepFocusInside(event) {
    const items = focusables(dialog);
    if (!items.length) return;
    const active = document.activeElement;
    const outside = !dialog.contains(active);
    if (event.shiftKey && (outside || active === items[0])) {
      event.preventDefault();
      items.at(-1).focus();
    } else if (!event.shiftKey && (outside || active === items.at(-1))) {
      event.preventDefault();
      items[0].focus();
    }
  }

  return {
    open(focusTarget = null) {
      if (!dialog.open) {
        opener = document.activeElement;
        openerKey = focusKeyOf(opener);
        dialog.showModal();
      }
      (focusTarget ?? focusables(dialog)[0] ?? dialog).focus();
    },
    close() {
      if (dialog.open) dialog.close();
    },
    get isOpen() {
      return dialog.open;
    },
  };
}
