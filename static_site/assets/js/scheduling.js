// Entry module for the scheduling panels on the jobs page: "Enqueue report" and "Report schedules".
// The jobs list refreshes when either queues a job (main.js listens for "jobs:changed").

import { ApiError } from "./api.js";
import { h } from "./dom.js";
import { createEnqueueForm } from "./enqueue-form.js";
import { createSchedulesPanel } from "./schedules.js";
import { knownScopes } from "./scheduling-api.js";
import { setKnownScopes } from "./scope-fields.js";

const root = document.getElementById("scheduling");
const jobsChanged = () => document.dispatchEvent(new CustomEvent("jobs:changed"));

const enqueue = createEnqueueForm({ onQueued: jobsChanged });
const schedules = createSchedulesPanel({ onJobsQueued: jobsChanged });

const enqueuePanel = h("details", { class: "panel", id: "enqueue-panel" },
  h("summary", { class: "panel__summary", text: "Enqueue report" }), enqueue.form);
const schedulesPanel = h("details", { class: "panel", id: "schedules-panel" },
  h("summary", { class: "panel__summary", text: "Report schedules" }), ...schedules.elements);
root.append(enqueuePanel, schedulesPanel);

let scopesLoaded = null;

// Suggestions and default periods load once, the first time a panel opens.
function loadScopes() {
  scopesLoaded ??= knownScopes().then(setKnownScopes).catch((err) => {
    if (!(err instanceof ApiError)) throw err;
    scopesLoaded = null; // try again on the next opening
  });
  return scopesLoaded;
}

enqueuePanel.addEventListener("toggle", async () => {
  if (!enqueuePanel.open) return;
  await loadScopes();
  enqueue.setDefaults();
});
schedulesPanel.addEventListener("toggle", () => {
  if (!schedulesPanel.open) return;
  loadScopes();
  schedules.load();
});
