// The scheduling panels on the jobs page (collapsed <details> in jobs.html): "Enqueue report" and
// "Report schedules". Each loads its code and the forms' stylesheet the first time it opens.
// onJobsQueued() runs when either queued a job, so the page refreshes the list.

import { DIALOG_CSS, fillOnFirstOpen, lazyPart } from "./lazy.js";

const FORMS_CSS = "/assets/css/schedules.css";

export function createScheduling(root, { onJobsQueued }) {
  fillOnFirstOpen(root.querySelector("#enqueue-panel"), lazyPart(() => import("./enqueue-form.js"), {
    stylesheets: [FORMS_CSS],
    create: ({ createEnqueueForm }) => {
      const enqueue = createEnqueueForm({ onQueued: onJobsQueued });
      return { elements: [enqueue.form], opened: enqueue.opened };
    },
  }));

  fillOnFirstOpen(root.querySelector("#schedules-panel"), lazyPart(() => import("./schedules.js"), {
    stylesheets: [FORMS_CSS, DIALOG_CSS], // its delete confirmation
    create: ({ createSchedulesPanel }) => createSchedulesPanel({ onJobsQueued }),
  }));
}
