// Operations on the jobs page: search and filters, row selection and bulk actions, retry, the
// audit log, and hiding every action from a viewer. Loaded beside the page's own main.js.

import { h } from "../dom.js";
import { createNotices } from "../notices.js";
import { createAudit } from "./audit.js";
import { createBulk } from "./bulk.js";
import { applyRole } from "./role.js";
import { createSearch } from "./search.js";

const table = document.getElementById("jobs-table");
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
createBulk({ table, tbody: document.getElementById("jobs-body"), bar, notify: (notice) => notices.show("bulk", notice) });
createAudit(audit);
