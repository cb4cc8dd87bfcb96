// Details: the job's state history (Hangfire's state list), oldest first, and a Retry button for a
// failed or canceled job. Earlier attempts stay listed after a retry.

import { ApiError, retryJob } from "../api.js";
import { h } from "../dom.js";
import { DASH, shortId, titleCase } from "../format.js";
import { canRetry } from "../statuses.js";
import { statusBadge, timeEl } from "../widgets.js";

// A disclosure (open) rather than another h3: the section headings stay the SPEC's own.
// onRetried() runs after Retry queued the job again, so the page can refresh what it shows.
export function historySection(job, history, onRetried) {
  return h("details", { class: "details-section history", open: true },
    h("summary", { class: "history__title", text: "State History" }),
    h("div", { class: "table-wrap" }, h("table", { class: "history-table" },
      h("thead", {}, h("tr", {}, ["When", "Change", "By", "Detail"].map((label) => h("th", { scope: "col", text: label })))),
      h("tbody", {}, history.map(eventRow)))),
    canRetry(job.status) && retryControl(job, onRetried),
  );
}

function eventRow(event) {
  return h("tr", {},
    h("td", {}, timeEl(event.at)),
    h("td", { class: "history-change" }, event.from_status ? [statusBadge(event.from_status), " → "] : "Created · ", statusBadge(event.to_status)),
    h("td", { class: "wrap", text: event.actor || DASH }),
    h("td", {}, detailView(event.detail)),
  );
}

function detailView(detail) {
  if (!detail) return DASH;
  const [first, ...rest] = detail.split("\n");
  if (!rest.length) return h("span", { class: "wrap", text: first });
  return h("details", {}, h("summary", { class: "wrap", text: first }), h("pre", { class: "error-text stack", text: rest.join("\n").trim() }));
}

function retryControl(job, onRetried) {
  const message = h("span", { class: "history-retry__message", role: "status" });
  const button = h("button", {
    type: "button", class: "btn btn--primary", dataset: { write: "" }, text: "Retry job",
    "aria-label": `Retry job ${shortId(job.job_id)}`,
  });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await retryJob(job.job_id);
      message.textContent = "Queued again. The new attempt appears here when you reopen Details.";
      button.hidden = true;
      onRetried();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      message.textContent = `Not retried: ${err.message}`;
      button.disabled = false;
    }
  });
  return h("p", { class: "history-retry", dataset: { write: "" } }, button, " ", message,
    h("span", { class: "muted", text: ` ${titleCase(job.status)} jobs can run again as a new attempt of the same job.` }));
}
