// LLM usage and cost from GET /api/admin/usage: totals, and a comparison of models.

import { h } from "../dom.js";
import { DASH, count } from "../format.js";
import { milliseconds } from "../measures.js";
import { usd } from "./money.js";

const percent = (value) => (typeof value === "number" ? `${Math.round(value * 1000) / 10}%` : DASH);

function total(key, label, value, note) {
  return h("div", { class: "ops-card", dataset: { total: key } },
    h("span", { class: "stat__label", text: label }),
    h("p", { class: "ops-card__value", text: value }),
    note && h("p", { class: "muted", text: note }));
}

function costText(model) {
  if (model.cost !== null) return usd(model.cost);
  return model.jobs_with_usage ? "no price set" : DASH;
}

function perJob(model) {
  return model.cost !== null && model.jobs_with_usage ? usd(model.cost / model.jobs_with_usage) : DASH;
}

export function renderUsage(root, data) {
  const { totals } = data;
  const unpriced = totals.unpriced_models.length ? `Not priced (set MODEL_PRICES): ${totals.unpriced_models.join(", ")}` : null;
  const rows = data.models.map((model) => h("tr", { dataset: { model: model.model ?? "" } },
    h("th", { scope: "row", class: "wrap", text: model.model ?? "Not recorded (failed before a report)" }),
    h("td", { text: count(model.jobs) }),
    h("td", { text: percent(model.success_rate) }),
    h("td", { text: milliseconds(model.gen_ms_p50) }),
    h("td", { text: milliseconds(model.gen_ms_p95) }),
    h("td", { text: count(model.prompt_tokens) }),
    h("td", { text: count(model.completion_tokens) }),
    h("td", { text: model.jobs_with_usage ? count(Math.round(model.total_tokens / model.jobs_with_usage)) : DASH }),
    h("td", { text: costText(model) }),
    h("td", { text: perJob(model) }),
  ));
  root.replaceChildren(
    h("div", { class: "ops-cards" },
      total("jobs", "Finished jobs", count(totals.jobs), `${percent(totals.success_rate)} succeeded`),
      total("tokens", "Tokens", count(totals.total_tokens), `${count(totals.prompt_tokens)} in · ${count(totals.completion_tokens)} out`),
      total("cost", `Cost (${data.currency})`, usd(totals.cost) ?? "no prices set", unpriced),
    ),
    h("h3", { text: "Model comparison" }),
    rows.length
      ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Model comparison" }, h("table", { class: "ops-table", id: "models-table" },
        h("caption", { class: "visually-hidden", text: "Model comparison" }),
        h("thead", {}, h("tr", {}, ["Model", "Jobs", "Success rate", "Generation p50", "Generation p95", "Tokens in", "Tokens out", "Tokens per job", "Cost", "Cost per job"]
          .map((label) => h("th", { scope: "col", text: label })))),
        h("tbody", {}, rows)))
      : h("p", { class: "muted", text: "No jobs finished in this range." }),
    h("p", { class: "muted ops-note", text: "A failed job stores no report, so its model and tokens are not recorded; it is listed apart." }),
  );
}
