// The stat cards: one per status in the SPEC's colours, plus the total.

import { h } from "./dom.js";
import { count, titleCase } from "./format.js";
import { STATUSES } from "./statuses.js";
import { durationEl } from "./widgets.js";

const CARDS = [["total", "Total"], ...STATUSES.map((status) => [status, titleCase(status)])];

export function createStats(root) {
  const values = new Map();
  for (const [key, label] of CARDS) {
    const value = h("span", { class: "stat__value", text: count(null) });
    values.set(key, value);
    root.append(h("div", { class: `stat stat--${key}`, dataset: { stat: key } }, h("span", { class: "stat__label", text: label }), value));
  }
  // Under Queued: how long the longest-waiting job has waited, ticking live (bull-board's measure).
  const oldest = h("span", { class: "stat__note", id: "oldest-wait" });
  root.querySelector('[data-stat="queued"]').append(oldest);
  return {
    render(stats, queue, receivedAt) {
      for (const [key, value] of values) value.textContent = count(stats?.[key]);
      const wait = queue?.oldest_wait_seconds;
      oldest.replaceChildren(...(typeof wait === "number" ? ["oldest waiting ", durationEl(wait, { live: true, receivedAt })] : []));
    },
  };
}
