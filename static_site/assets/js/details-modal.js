// The Details modal: it opens on "Loading…", then shows the job (details.js) or why it could not be
// read. Loaded, with details.css, the first time Details opens (see main.js).

import { ApiError, getJob } from "./api.js";
import { detailsContent } from "./details.js";
import { createDialog } from "./dialog.js";
import { h } from "./dom.js";
import { shortId } from "./format.js";

// onChanged(): an action in Details (Retry) changed the job, so the list refreshes.
export function createDetailsModal({ onClose, onChanged, copy, signInUrl }) {
  const title = document.getElementById("details-title");
  const body = document.getElementById("details-body");
  let shownId = null;
  const dialog = createDialog(document.getElementById("details-dialog"), {
    onClose: () => {
      shownId = null;
      onClose();
    },
  });

  body.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action='copy']");
    if (button) copy(button.dataset.jobId, button);
  });

  async function open(jobId) {
    shownId = jobId;
    title.textContent = `Job ${shortId(jobId)}`;
    body.replaceChildren(h("p", { class: "muted", text: "Loading…" }));
    dialog.open();
    try {
      const data = await getJob(jobId);
      if (shownId === jobId) body.replaceChildren(...detailsContent(data, performance.now(), onChanged).filter(Boolean));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (shownId !== jobId) return;
      body.replaceChildren(...[
        h("p", { class: "error-message", text: `Could not load this job. ${err.message}` }),
        err.kind === "unauthorized" && h("p", {}, h("a", { href: signInUrl(), text: "Sign in" })),
      ].filter(Boolean));
    }
  }

  return { open };
}
