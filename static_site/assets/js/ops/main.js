// The Operations page: worker health, performance charts and LLM usage, with range and bucket in the URL.

import { ApiError } from "../api.js";
import { getHealth, getMetrics, getModelComparison, getUsage } from "./api.js";
import { h } from "../dom.js";
import { onZone, timeEl, zoneControl } from "../format.js";
import { createNotices } from "../notices.js";
import { renderHealth } from "./health.js";
import { createPerformance } from "./performance.js";
import { renderModelReview } from "./model-review.js";
import { renderUsage } from "./usage.js";

const RANGES = ["24h", "7d", "30d"];
const BUCKETS = ["hour", "day"];
const DEFAULT_BUCKET = { "24h": "hour", "7d": "day", "30d": "day" };
const DAYS = { "24h": 1, "7d": 7, "30d": 30 };
const HEALTH_REFRESH_MS = 15000;
const $ = (id) => document.getElementById(id);

const notices = createNotices($("notices"));
const performancePanel = createPerformance($("charts"));
const rangeSelect = $("range");
const bucketSelect = $("bucket");

function readView() {
  const params = new URLSearchParams(window.location.search);
  const range = RANGES.includes(params.get("range")) ? params.get("range") : "24h";
  const asked = BUCKETS.includes(params.get("bucket")) ? params.get("bucket") : DEFAULT_BUCKET[range];
  // A day bucket needs more than one day of range.
  return { range, bucket: range === "24h" ? "hour" : asked };
}

let view = readView();

function showView() {
  rangeSelect.value = view.range;
  bucketSelect.value = view.bucket;
  bucketSelect.querySelector("option[value='day']").disabled = view.range === "24h";
}

function go(next) {
  view = next;
  const params = new URLSearchParams({ range: view.range, bucket: view.bucket });
  window.history.pushState(null, "", `${window.location.pathname}?${params}`);
  showView();
  loadAll();
}

function failure(what, err) {
  if (!(err instanceof ApiError)) throw err;
  notices.show(what, { tone: "error", text: `Could not load ${what}: ${err.message}` });
  return null;
}

async function loadHealth() {
  const data = await getHealth().catch((err) => failure("worker health", err));
  if (!data) return;
  notices.clear("worker health");
  renderHealth($("health"), data);
}

async function loadCharts() {
  const requested = { ...view };
  const [metrics, usage, models] = await Promise.all([
    getMetrics(requested).catch((err) => failure("the charts", err)),
    getUsage(requested).catch((err) => failure("LLM usage", err)),
    getModelComparison(DAYS[requested.range]).catch((err) => failure("the model comparison", err)),
  ]);
  if (requested.range !== view.range || requested.bucket !== view.bucket) return; // a newer view is loading
  if (metrics) {
    notices.clear("the charts");
    performancePanel.render(metrics);
  } else {
    performancePanel.showError("The charts could not be loaded.");
  }
  if (usage) {
    notices.clear("LLM usage");
    renderUsage($("usage"), usage);
  } else {
    $("usage").replaceChildren(h("p", { class: "error-message", text: "LLM usage could not be loaded." }));
  }
  if (models) {
    notices.clear("the model comparison");
    renderModelReview($("model-review"), models);
  } else {
    $("model-review").replaceChildren(h("p", { class: "error-message", text: "The model comparison could not be loaded." }));
  }
}

async function loadAll() {
  const button = $("refresh");
  button.setAttribute("aria-busy", "true");
  await Promise.all([loadHealth(), loadCharts()]);
  button.setAttribute("aria-busy", "false");
  $("last-updated").replaceChildren("Last updated ", timeEl(new Date().toISOString(), "time"));
}

rangeSelect.addEventListener("change", () => {
  const range = rangeSelect.value;
  go({ range, bucket: range === "24h" ? "hour" : (view.range === "24h" ? DEFAULT_BUCKET[range] : view.bucket) });
});
bucketSelect.addEventListener("change", () => go({ ...view, bucket: bucketSelect.value }));
$("refresh").addEventListener("click", () => loadAll());
window.addEventListener("popstate", () => {
  view = readView();
  showView();
  loadAll();
});

// Health changes by the minute; it is polled while the tab is visible, never while hidden.
setInterval(() => {
  if (document.visibilityState === "visible") loadHealth();
}, HEALTH_REFRESH_MS);

zoneControl($("zone"));
onZone(loadCharts); // the time axes follow the zone
showView();
loadAll();
