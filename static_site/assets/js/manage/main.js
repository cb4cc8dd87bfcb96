// Operations on the jobs page: search and filters, row selection and bulk actions, retry, the
// audit log (loaded when scrolled near), and hiding every action from a viewer. Loaded beside the
// page's own main.js.

import { h } from "../dom.js";
import { fillWhenNear, lazyPart } from "../lazy.js";
import { createNotices } from "../notices.js";
import { createBulk } from "./bulk.js";
import { applyRole } from "./role.js";
import { createSearch } from "./search.js";

const table = document.getElementById("jobs-table");
const tbody = document.getElementById("jobs-body");
const tableWrap = table.closest(".table-wrap");
const search = h("div", { class: "job-search-wrap", id: "job-search" });
const bar = h("div", { class: "bulk-bar", id: "bulk-bar", dataset: { write: "" } });
const messages = h("div", { class: "notices", id: "bulk-notices", role: "status", "aria-live": "polite" });
tableWrap.before(search, bar, messages);
const audit = h("section", { class: "audit", id: "audit-log", "aria-labelledby": "audit-title" });
document.getElementById("main").append(audit);

const notices = createNotices(messages);
applyRole();
createSearch(search);
createBulk({ table, tbody, bar, notify: (notice) => notices.show("bulk", notice) });
// The audit log sits below the jobs list and loads when scrolled near. Watching starts once the list
// has drawn (main.js may have drawn it already): until then the empty table would put it in view.
function watchAudit() {
  fillWhenNear(audit, lazyPart(() => import("./audit.js"), { create: ({ createAudit }) => createAudit() }));
}
if (tbody.rows.length) {
  watchAudit();
} else {
  new MutationObserver((_, observer) => {
    observer.disconnect();
    watchAudit();
  }).observe(tbody, { childList: true });
}
