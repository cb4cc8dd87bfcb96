// The stat cards: one per status in the SPEC's colours, plus the total.

import { h } from "./dom.js";
import { count } from "./format.js";

const CARDS = [
  ["total", "Total"],
  ["queued", "Queued"],
  ["running", "Running"],
  ["succeeded", "Succeeded"],
  ["failed", "Failed"],
  ["canceled", "Canceled"],
];

export function createStats(root) {
  const values = new Map();
  for (const [key, label] of CARDS) {
    const value = h("span", { class: "stat__value", text: count(null) });
    values.set(key, value);
    root.append(h("div", { class: `stat stat--${key}`, dataset: { stat: key } }, h("span", { class: "stat__label", text: label }), value));
  }
  return {
    render(stats) {
      for (const [key, value] of values) value.textContent = count(stats?.[key]);
    },
  };
}
