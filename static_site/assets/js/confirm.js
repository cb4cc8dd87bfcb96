// An in-page confirmation dialog: ask(...) resolves true only when the user picks the confirm button.

import { createDialog } from "./dialog.js";

export function createConfirm(dialogEl) {
  let settle = null;
  const dialog = createDialog(dialogEl, { onClose: () => answer(false) });
  const title = dialogEl.querySelector("h2");
  const message = dialogEl.querySelector("p");
  const yes = dialogEl.querySelector("[data-answer='yes']");
  const no = dialogEl.querySelector("[data-answer='no']");

  function answer(value) {
    settle?.(value);
    settle = null;
  }

  dialogEl.addEventListener("click", (event) => {
    const button = event.target.closest("[data-answer]");
    if (!button) return;
    answer(button.dataset.answer === "yes");
    dialog.close();
  });

  // danger: the confirm button is red only for what stops or removes something.
  return function ask({ heading, text, confirmLabel, cancelLabel, danger = true }) {
    answer(false);
    yes.className = `btn ${danger ? "btn--danger" : "btn--primary"}`;
    title.textContent = heading;
    message.textContent = text;
    yes.textContent = confirmLabel;
    no.textContent = cancelLabel;
    dialog.open(no);
    return new Promise((resolve) => {
      settle = resolve;
    });
  };
}
