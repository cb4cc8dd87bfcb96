// Entry module for the scheduling panels on the jobs page: "Enqueue report" and "Report schedules".
// Both start collapsed, so each loads its code and the forms' stylesheet the first time it opens.
// The jobs list refreshes when either queues a job (main.js listens for "jobs:changed").

import { h } from "./dom.js";
import { fillOnFirstOpen, lazyModule } from "./lazy.js";

const STYLESHEET = "/assets/css/schedules.css";
const loadEnqueueForm = lazyModule(() => import("./enqueue-form.js"), STYLESHEET);
const loadSchedules = lazyModule(() => import("./schedules.js"), STYLESHEET);

const root = document.getElementById("scheduling");
const jobsChanged = () => document.dispatchEvent(new CustomEvent("jobs:changed"));

const enqueuePanel = h("details", { class: "panel", id: "enqueue-panel" }, h("summary", { class: "panel__summary", text: "Enqueue report" }));
const schedulesPanel = h("details", { class: "panel", id: "schedules-panel" }, h("summary", { class: "panel__summary", text: "Report schedules" }));
root.append(enqueuePanel, schedulesPanel);

fillOnFirstOpen(enqueuePanel, async () => {
  const { createEnqueueForm } = await loadEnqueueForm();
  const enqueue = createEnqueueForm({ onQueued: jobsChanged });
  return { elements: [enqueue.form], opened: enqueue.opened };
});

fillOnFirstOpen(schedulesPanel, async () => {
  const { createSchedulesPanel } = await loadSchedules();
  const schedules = createSchedulesPanel({ onJobsQueued: jobsChanged });
  return { elements: schedules.elements, opened: schedules.opened };
});
