// The scheduling panels on the jobs page: "Enqueue report" and "Report schedules". Both start
// collapsed, so each loads its code and the forms' stylesheet the first time it opens.
// onJobsQueued() runs when either queued a job, so the page refreshes the list.

import { h } from "./dom.js";
import { fillOnFirstOpen, lazyPart } from "./lazy.js";

const stylesheet = "/assets/css/schedules.css";

export function createScheduling(root, { onJobsQueued }) {
  const enqueuePanel = h("details", { class: "panel", id: "enqueue-panel" }, h("summary", { class: "panel__summary", text: "Enqueue report" }));
  const schedulesPanel = h("details", { class: "panel", id: "schedules-panel" }, h("summary", { class: "panel__summary", text: "Report schedules" }));
  root.append(enqueuePanel, schedulesPanel);

  fillOnFirstOpen(enqueuePanel, lazyPart(() => import("./enqueue-form.js"), {
    stylesheet,
    create: ({ createEnqueueForm }) => {
      const enqueue = createEnqueueForm({ onQueued: onJobsQueued });
      return { elements: [enqueue.form], opened: enqueue.opened };
    },
  }));

  fillOnFirstOpen(schedulesPanel, lazyPart(() => import("./schedules.js"), {
    stylesheet,
    create: ({ createSchedulesPanel }) => createSchedulesPanel({ onJobsQueued }),
  }));
}
