// Small pieces the table and the details share: status badge, durations, copy button (times: format.js).

import { h } from "./dom.js";
import { DASH, duration, exactSeconds, titleCase } from "./format.js";

export function statusBadge(status) {
  return h("span", { class: `badge badge--${status}`, text: titleCase(status) });
}

// A duration that keeps growing (a waiting job's queue time, a running job's processing time) is
// ticked on the client: the server's value plus the time since the response came, so the client's
// clock being off cannot show a wrong or negative time.
export function durationEl(seconds, { live = false, receivedAt = 0 } = {}) {
  if (typeof seconds !== "number") return DASH;
  const dataset = live ? { liveBase: String(seconds), liveAt: String(receivedAt) } : {};
  return h("span", { class: live ? "duration duration--live" : "duration", title: exactSeconds(seconds), dataset, text: duration(seconds) });
}

// A queued job's wait and a running job's processing time still grow; the others are final.
export function queueTimeEl(job, receivedAt) {
  return durationEl(job.queue_time_seconds, { live: job.status === "queued", receivedAt });
}

export function processingTimeEl(job, receivedAt) {
  return durationEl(job.processing_time_seconds, { live: job.status === "running", receivedAt });
}

export function tickLiveDurations(root = document) {
  const now = performance.now();
  for (const el of root.querySelectorAll("[data-live-base]")) {
    const seconds = Number(el.dataset.liveBase) + (now - Number(el.dataset.liveAt)) / 1000;
    el.textContent = duration(seconds);
    el.title = exactSeconds(seconds);
  }
}

export function copyButton(jobId, focusPrefix) {
  return h("button", {
    type: "button",
    class: "btn btn--icon",
    title: "Copy the full job ID",
    "aria-label": `Copy job ID ${jobId}`,
    dataset: { action: "copy", jobId, focusKey: `${focusPrefix}copy:${jobId}` },
    text: "Copy",
  });
}
