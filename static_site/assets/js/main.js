// The jobs page's entry: builds the parts, wires them to the API, URL and refresh loop; parts get
// callbacks (go, jobsChanged) and are told of changes (rendered, show).

import { ApiError, NOT_MODIFIED, forgetList, listJobs } from "./api.js";
import { createFilters } from "./filters.js";
import { onZone, timeEl, zoneControl, zoneName } from "./format.js";
import { DIALOG_CSS, fillOnFirstOpen, fillWhenNear, lazyPart, withPart } from "./lazy.js";
import { applyRole } from "./manage/role.js";
import { createSearch } from "./manage/search.js";
import { createNotices } from "./notices.js";
import { createPagination } from "./pagination.js";
import { createRefresher } from "./refresher.js";
import { createScheduling } from "./scheduling.js";
import { createStats } from "./stats.js";
import { createJobsTable } from "./table.js";
import { SEARCH_KEYS, filterOf, readOpenJob, readState, sameState, writeOpenJob, writeState } from "./url-state.js";
import { tickLiveDurations } from "./widgets.js";

const PAGE_SIZE = 50;
const AUTO_REFRESH_MS = 2000;
const AUTO_REFRESH_KEY = "aiJobs.autoRefresh";
const ROOMY_KEY = "aiJobs.roomyRows"; // compact rows by default: 15 and more fit at 1440×900
const TREND_KEY = "aiJobs.trendOpen";
const $ = (id) => document.getElementById(id);

let view = readState();
let jobsById = new Map();
let lastUpdated = null;
let stale = false; // the last update failed: durations stop ticking rather than run on from old data

const notices = createNotices($("notices"));
const stats = createStats($("stats"));
const filters = createFilters($("filters"), (status) => go({ ...view, status, page: 1 }));
const pagination = createPagination($("pagination"), (page) => go({ ...view, page }));
const table = createJobsTable($("jobs-body"), {
  details: openDetails,
  cancel: askToCancel,
  copy: copyJobId,
  retry: (jobId) => withBulk((part) => part.retry(jobId)),
  select: (jobId, checked) => withBulk((part) => part.select(jobId, checked)),
  isSelected: (jobId) => bulk?.isSelected(jobId),
});
// Selection and the bulk bar load on the first tick or click.
let bulk = null;
const loadBulk = lazyPart(() => import("./manage/bulk.js"), {
  create: ({ createBulk }) => (bulk = createBulk({ headBox: $("select-page"), table, bar: $("bulk-bar"), notify: (notice) => notices.show("action", notice), changed: jobsChanged, currentView: () => view })),
});
const withBulk = (use) => withPart(loadBulk, use, (text) => notices.show("action", { tone: "error", text }));
$("select-page").addEventListener("change", () => withBulk((part) => part.selectPage()));
$("bulk-bar").addEventListener("click", (event) => {
  const button = event.target.closest("button[data-bulk], button[data-bulk-all]");
  if (button) withBulk((part) => part.press(button));
});
const search = createSearch($("job-search"), { onSearch: (values) => go({ ...view, ...values, page: 1 }) });
createScheduling($("scheduling"), { onJobsQueued: jobsChanged, onChanged: () => audit?.reload() });
const autoToggle = $("auto-refresh");
const refresher = createRefresher(loadList, {
  intervalMs: AUTO_REFRESH_MS,
  onBusy: (busy) => $("refresh").setAttribute("aria-busy", String(busy)),
});

function signInUrl() {
  return `/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(window.location.pathname + window.location.search)}`;
}

// --- view and URL

function go(next) {
  writeState(next);
  showView(next);
}

function showView(next) {
  view = next;
  filters.render(view);
  search.show(view);
  refresher.refresh();
}

window.addEventListener("popstate", () => showView(readState()));

/** Something on the page changed jobs: reload the list, and the audit log once it is shown. */
function jobsChanged() {
  audit?.reload();
  return refresher.refresh();
}

// --- the list

async function loadList() {
  const requested = { ...view };
  try {
    const data = await listJobs({ page: requested.page, limit: PAGE_SIZE, ...filterOf(requested) });
    if (!sameState(requested, view)) return forgetList(); // view changed: the refresher loads it
    if (data === NOT_MODIFIED) {
      lastUpdated = new Date();
      showUpdated(false);
      notices.clear("load");
      return;
    }
    const { pages } = data.pagination;
    if (pages > 0 && requested.page > pages) {
      forgetList();
      view = { ...view, page: pages };
      writeState(view, { replace: true });
      refresher.refresh();
      return;
    }
    showList(data, performance.now());
    notices.clear("load");
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    showLoadError(err);
  }
}

function showList(data, receivedAt) {
  jobsById = new Map(data.jobs.map((job) => [job.job_id, job]));
  stats.render(data.stats, data.queue, receivedAt);
  filters.render(view, data.stats);
  const searching = SEARCH_KEYS.some((key) => view[key]);
  const empty = searching ? "No jobs match this search." : view.status ? `No ${view.status} jobs.` : "No jobs yet. Jobs appear here when reports are requested.";
  table.render(data.jobs, receivedAt, empty, view.q);
  listDrawn();
  pagination.render(view, data.pagination, data.jobs.length);
  lastUpdated = new Date();
  showUpdated(false);
}

function showUpdated(failed) {
  stale = failed;
  const label = $("last-updated");
  label.replaceChildren(...(lastUpdated ? ["Last updated ", timeEl(lastUpdated.toISOString(), "time")] : ["Not loaded"]), failed ? ` · update failed${autoToggle.checked ? ", retrying" : ""}` : "");
  label.classList.toggle("last-updated--stale", failed);
}

const LOAD_ERRORS = {
  unreachable: (err) => err.message,
  unauthorized: () => "You are not signed in, or your session has ended.",
  forbidden: (err) => `You do not have access to the jobs API. ${err.message}`,
  unavailable: (err) => `The service is unavailable right now. ${err.message}`,
};

function showLoadError(err) {
  const text = (LOAD_ERRORS[err.kind] ?? ((e) => `Could not load jobs. ${e.message}`))(err);
  const signedOut = err.kind === "unauthorized";
  // Polling cannot fix a sign-in or permission problem; it would only repeat the same error.
  const pausePolling = (signedOut || err.kind === "forbidden") && autoToggle.checked;
  if (pausePolling) {
    autoToggle.checked = false;
    refresher.setAuto(false);
  }
  notices.show("load", {
    tone: "error",
    text: pausePolling ? `${text} Auto-refresh is paused.` : text,
    action: signedOut ? { label: "Sign in", href: signInUrl() } : { label: "Retry", onClick: () => refresher.refresh() },
  });
  if (!lastUpdated) {
    table.showMessage(signedOut ? "Sign in to see the jobs." : "The jobs could not be loaded.", "error");
    listDrawn();
    pagination.clear();
  }
  showUpdated(true);
}

// --- switches kept in localStorage

/** el[prop] (checked, open) as stored, stored on each `event`; use(on) now and on each change. */
function remembered(el, key, prop, event, use) {
  el[prop] = localStorage.getItem(key) === "1";
  el.addEventListener(event, () => {
    localStorage.setItem(key, el[prop] ? "1" : "0");
    use(el[prop]);
  });
  use(el[prop]);
}

$("refresh").addEventListener("click", () => refresher.refresh());
remembered($("roomy-rows"), ROOMY_KEY, "checked", "change", (on) => (document.documentElement.dataset.density = on ? "comfortable" : "compact"));

// --- the last 24 hours and the worker, loaded when the panel opens

fillOnFirstOpen($("trend-panel"), lazyPart(() => import("./trend.js"), { stylesheets: ["/assets/css/trend.css"], create: ({ createTrend }) => createTrend() }));
remembered($("trend-panel"), TREND_KEY, "open", "toggle", () => {});

// --- details and actions
// Details, cancel and "Trigger Worker Now" load on first use.

const loadDetails = lazyPart(() => import("./details-modal.js"), {
  stylesheets: [DIALOG_CSS, "/assets/css/details.css"],
  create: ({ createDetailsModal }) => createDetailsModal({ onClose: () => writeOpenJob(null), onChanged: jobsChanged, cancel: askToCancel, copy: copyJobId, signInUrl }),
});
const loadActions = lazyPart(() => import("./job-actions.js"), {
  stylesheets: [DIALOG_CSS],
  create: ({ createJobActions }) => createJobActions({ notices, refresh: jobsChanged }),
});
const withActions = (use) => withPart(loadActions, use, (text) => notices.show("action", { tone: "error", text }));

function openDetails(jobId) {
  return withPart(loadDetails, (details) => {
    notices.clear("details");
    writeOpenJob(jobId);
    return details.open(jobId);
  }, (text) => notices.show("details", { tone: "error", text, action: { label: "Try again", onClick: () => openDetails(jobId) } }));
}

function askToCancel(jobId) {
  return withActions((actions) => actions.cancel(jobId, jobsById.get(jobId)));
}

const loadClipboard = lazyPart(() => import("./clipboard.js"));
function copyJobId(jobId, button) {
  return withPart(loadClipboard, async ({ copyText, flashCopied }) => flashCopied(button, await copyText(jobId)),
    (text) => notices.show("action", { tone: "error", text }));
}

$("trigger-worker").addEventListener("click", (event) => {
  const button = event.currentTarget;
  withActions((actions) => actions.runWorker(button));
});

// --- the audit log
// Below the list, loaded when scrolled near; watched once the list has drawn (an empty table would
// put it in view).

let audit = null;
let watchingAudit = false;

// After every redraw of the rows.
function listDrawn() {
  bulk?.rendered();
  if (watchingAudit) return;
  watchingAudit = true;
  fillWhenNear($("audit-log"), lazyPart(() => import("./manage/audit.js"), { stylesheets: ["/assets/css/audit.css"], create: ({ createAudit }) => (audit = createAudit()) }));
}

// --- start
// Search days are in the chosen zone.

const showZone = () => ($("search-zone").textContent = `days in ${zoneName()}`);
zoneControl($("zone"));
onZone(() => {
  showZone();
  showView(view);
});
showZone();

applyRole();
filters.render(view);
search.show(view);
setInterval(() => stale || tickLiveDurations(), 1000);
remembered(autoToggle, AUTO_REFRESH_KEY, "checked", "change", (on) => refresher.setAuto(on));
if (!autoToggle.checked) refresher.refresh();
if (readOpenJob()) openDetails(readOpenJob());
