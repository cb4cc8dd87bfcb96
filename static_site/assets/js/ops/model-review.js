// Models and prompt versions from GET /api/admin/models: per generator, model and prompt version,
// the success rate beside generation time, tokens, cost and the share of its reports rated good.

import { h } from "../dom.js";
import { DASH, count } from "../format.js";
import { milliseconds } from "../measures.js";
import { usd } from "./money.js";

const percent = (value) => (typeof value === "number" ? `${Math.round(value * 1000) / 10}%` : DASH);

export function renderModelReview(root, data) {
  const rows = data.models.map((row) => h("tr", { dataset: { model: row.model ?? "", promptVersion: row.prompt_version ?? "" } },
    h("th", { scope: "row", class: "wrap", text: `${row.generator} · ${row.model || DASH}` }),
    h("td", { class: "wrap", text: row.prompt_version ? `${row.prompt_version}${row.prompt_version === data.current_prompt_version ? " (current)" : ""}` : DASH }),
    h("td", { text: count(row.succeeded + row.failed) }),
    h("td", { text: percent(row.success_rate) }),
    h("td", { text: milliseconds(row.gen_ms_avg === null ? null : Math.round(row.gen_ms_avg)) }),
    h("td", { text: `${count(row.prompt_tokens)} in · ${count(row.completion_tokens)} out` }),
    h("td", { text: usd(row.cost) ?? "no price set" }),
    h("td", { text: row.rated ? `${percent(row.good_share)} of ${count(row.rated)}` : "not rated" }),
  ));
  root.replaceChildren(
    rows.length
      ? h("div", { class: "table-wrap" }, h("table", { class: "ops-table", id: "model-review-table" },
        h("caption", { class: "visually-hidden", text: "Models and prompt versions" }),
        h("thead", {}, h("tr", {}, ["Model", "Prompt version", "Finished jobs", "Success rate", "Generation (avg)", "Tokens", "Cost", "Rated good"]
          .map((label) => h("th", { scope: "col", text: label })))),
        h("tbody", {}, rows)))
      : h("p", { class: "muted", text: "No job ran with a recorded model and prompt version in this range." }),
    h("p", { class: "muted ops-note", text: "Re-run a report with another model from its Details, rate it there, and compare the two side by side." }),
  );
}
