// Details: the job's state history (Hangfire's state list), oldest first. Earlier attempts stay
// listed after a retry.

import { h } from "../dom.js";
import { DASH, timeEl } from "../format.js";
import { statusBadge } from "../widgets.js";

// A disclosure (open) rather than another h3: the section headings stay the SPEC's own.
export function historySection(history) {
  return h("details", { class: "details-section history", open: true },
    h("summary", { class: "history__title", text: "State History" }),
    h("div", { class: "table-wrap" }, h("table", { class: "history-table" },
      h("thead", {}, h("tr", {}, ["When", "Change", "By", "Detail"].map((label) => h("th", { scope: "col", text: label })))),
      h("tbody", {}, history.map(eventRow)))),
  );
}

function eventRow(event) {
  return h("tr", {},
    h("td", {}, timeEl(event.at)),
    h("td", { class: "history-change" }, event.from_status ? [statusBadge(event.from_status), " → "] : "Created · ", statusBadge(event.to_status)),
    h("td", { class: "history-by", text: event.actor || DASH }),
    h("td", {}, detailView(event.detail)),
  );
}

function detailView(detail) {
  if (!detail) return DASH;
  const [first, ...rest] = detail.split("\n");
  if (!rest.length) return h("span", { class: "wrap", text: first });
  return h("details", {}, h("summary", { class: "wrap", text: first }), h("pre", { class: "error-text stack", text: rest.join("\n").trim() }));
}
