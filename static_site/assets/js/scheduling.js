// Entry module for the scheduling panels on the jobs page: "Enqueue report" and "Report schedules".
// Both start collapsed, so each loads its code and the forms' stylesheet the first time it opens.
// The jobs list refreshes when either queues a job (main.js listens for "jobs:changed").

import { h } from "./dom.js";
import { fillOnFirstOpen, lazyPart } from "./lazy.js";

const stylesheet = "/assets/css/schedules.css";
const root = document.getElementById("scheduling");
const jobsChanged = () => document.dispatchEvent(new CustomEvent("jobs:changed"));

const enqueuePanel = h("details", { class: "panel", id: "enqueue-panel" }, h("summary", { class: "panel__summary", text: "Enqueue report" }));
const schedulesPanel = h("details", { class: "panel", id: "schedules-panel" }, h("summary", { class: "panel__summary", text: "Report schedules" }));
root.append(enqueuePanel, schedulesPanel);

fillOnFirstOpen(enqueuePanel, lazyPart(() => import("./enqueue-form.js"), {
  stylesheet,
  create: ({ createEnqueueForm }) => {
    const enqueue = createEnqueueForm({ onQueued: jobsChanged });
    return { elements: [enqueue.form], opened: enqueue.opened };
  },
}));

fillOnFirstOpen(schedulesPanel, lazyPart(() => import("./schedules.js"), {
  stylesheet,
  create: ({ createSchedulesPanel }) => createSchedulesPanel({ onJobsQueued: jobsChanged }),
}));
