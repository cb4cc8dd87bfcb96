// Details: "Model Calls". Each call of each attempt with the messages sent and the raw answer (as
// text, never HTML, each copyable), where validation failed and why, then: re-run with another
// model, rate the report, and compare it with another report of the same scope and period.
// Loaded with details.js; its data comes from /api/admin/model-calls when Details opens.

import { ApiError, compareReports, getModelCalls, reportAction } from "./api.js";
import { copyText, flashCopied } from "./clipboard.js";
import { h } from "./dom.js";
import { DASH, count, shortId, timeEl, titleCase } from "./format.js";
import { milliseconds } from "./measures.js";
import { usd } from "./ops/money.js";

const RERUNNABLE = new Set(["succeeded", "failed"]);
const OUTCOME_TEXT = { valid: "Valid answer", invalid: "Broke the report schema", error: "Call failed" };

export function modelCallsSection(job, onChanged) {
  const body = h("div", { class: "model-calls__body" }, h("p", { class: "muted", text: "Loading model calls…" }));
  const section = h("details", { class: "details-section model-calls", open: true, dataset: { section: "model-calls" } },
    h("summary", { class: "history__title", text: "Model Calls" }), body);
  getModelCalls(job.job_id).then(
    (data) => body.replaceChildren(...content(job, data, onChanged)),
    (err) => {
      if (!(err instanceof ApiError)) throw err;
      body.replaceChildren(h("p", { class: "error-message", text: `Could not load the model calls. ${err.message}` }));
    },
  );
  return section;
}

function content(job, data, onChanged) {
  return [
    links(data),
    data.calls.length
      ? h("ol", { class: "model-call-list" }, data.calls.map((call) => h("li", {}, callView(call))))
      : h("p", { class: "muted", text: "No model calls were recorded for this job (an offline report makes none, and a queued job none yet)." }),
    job.status === "succeeded" && ratingControl(job, data.rating),
    RERUNNABLE.has(job.status) && rerunControl(job, data.choices, onChanged),
    job.status === "succeeded" && compareControl(job, data.same_period),
  ].filter(Boolean);
}

function links(data) {
  const rows = [
    data.rerun_of && ["Re-run of", h("code", { text: data.rerun_of })],
    data.model_choice && ["Model chosen", data.model_choice],
    data.reruns.length > 0 && ["Re-runs", data.reruns.map((id, i) => [i ? ", " : "", h("code", { text: id })])],
  ].filter(Boolean);
  return rows.length > 0 && h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", { text: term }), h("dd", {}, value)]));
}

function copyable(label, text) {
  const button = h("button", { type: "button", class: "btn btn--small", text: `Copy ${label.toLowerCase()}` });
  button.addEventListener("click", async () => flashCopied(button, await copyText(text)));
  return button;
}

function textBlock(label, text, extraClass = "") {
  return h("div", { class: "model-call__text" },
    h("div", { class: "model-call__text-head" }, h("span", { class: "model-call__role", text: label }), copyable(label, text)),
    h("pre", { class: `error-text stack ${extraClass}`.trim(), tabindex: "0", text }));
}

function messagesText(messages) {
  return messages.map((message) => `[${message.role}]\n${message.content}`).join("\n\n");
}

function callView(call) {
  const title = `Attempt ${call.attempt} · ${call.repair ? "repair request" : "request"}`;
  const tokens = call.prompt_tokens === null && call.completion_tokens === null ? DASH : `${count(call.prompt_tokens)} in · ${count(call.completion_tokens)} out`;
  return h("article", { class: `model-call model-call--${call.outcome}`, dataset: { callId: String(call.call_id), outcome: call.outcome } },
    h("h4", {}, title, " ", h("span", { class: `badge badge--${call.outcome === "valid" ? "succeeded" : "failed"}`, text: OUTCOME_TEXT[call.outcome] })),
    h("dl", { class: "facts" }, [
      ["Started", timeEl(call.started_at)],
      ["Model", `${call.generator} · ${call.model || DASH}${call.answered_model && call.answered_model !== call.model ? ` (answered as ${call.answered_model})` : ""}`],
      ["Prompt version", call.prompt_version || DASH],
      ["Parameters", h("code", { class: "wrap", text: JSON.stringify(call.parameters) })],
      ["Finish reason", call.finish_reason || DASH],
      ["Tokens", tokens],
      ["Latency", milliseconds(call.latency_ms)],
      ["Request ID", call.request_id ? h("code", { class: "wrap", text: call.request_id }) : DASH],
    ].map(([term, value]) => [h("dt", { text: term }), h("dd", {}, value)])),
    call.problem && h("div", { class: "model-call__problem", role: "note" },
      h("strong", { text: call.outcome === "invalid" ? "Validation error: " : "Error: " }), h("span", { class: "wrap", text: call.problem })),
    call.truncated && h("p", { class: "muted model-call__truncated", text: "Truncated: a text here was longer than 40,000 characters; it ends saying how much was not stored." }),
    h("details", { class: "model-call__part" }, h("summary", { text: `Prompt (${call.messages.length} messages)` }),
      call.messages.map((message) => textBlock(titleCase(message.role), message.content)),
      copyable("whole prompt", messagesText(call.messages))),
    h("details", { class: "model-call__part", open: call.outcome !== "valid" }, h("summary", { text: "Raw answer" }),
      call.answer === null ? h("p", { class: "muted", text: "No answer was received." }) : textBlock("Answer", call.answer, "model-call__answer")),
  );
}

function status(name) {
  return h("span", { class: `model-calls__message model-calls__message--${name}`, role: "status" });
}

function ratingControl(job, rating) {
  const current = h("p", { class: "model-calls__rating", text: rating ? ratingText(rating) : "Not rated yet." });
  const note = h("input", { type: "text", maxlength: "1000", class: "input", "aria-label": "Note (optional)", placeholder: "Note (optional)" });
  const message = status("rating");
  const rate = async (value, button) => {
    button.disabled = true;
    try {
      const reply = await reportAction("rate_report", { job_id: job.job_id, rating: value, note: note.value.trim() || null });
      current.textContent = ratingText(reply.rating);
      message.textContent = "Saved.";
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      message.textContent = `Not saved: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  };
  const button = (value, label) => {
    const el = h("button", { type: "button", class: "btn btn--small", dataset: { rate: value }, text: label });
    el.addEventListener("click", () => rate(value, el));
    return el;
  };
  return h("div", { class: "model-calls__block" }, h("h4", { text: "Rating" }), current,
    h("p", { class: "model-calls__controls", dataset: { write: "" } }, button("good", "Good report"), button("bad", "Bad report"), note, message));
}

function ratingText(rating) {
  return `Rated ${rating.rating} by ${rating.rated_by}${rating.note ? `: ${rating.note}` : ""}`;
}

function rerunControl(job, choices, onChanged) {
  const select = h("select", { class: "input", "aria-label": "Model for the re-run" }, choices.map((key) => h("option", { value: key, text: key })));
  const message = status("rerun");
  const button = h("button", { type: "button", class: "btn btn--primary btn--small", text: "Re-run with this model" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const reply = await reportAction("rerun_job", { job_id: job.job_id, model: select.value });
      message.textContent = `Queued job ${shortId(reply.job.job_id)} with ${reply.model_choice}.`;
      message.dataset.jobId = reply.job.job_id;
      onChanged?.();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      message.textContent = `Not queued: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "model-calls__block", dataset: { write: "" } }, h("h4", { text: "Re-run with another model" }),
    h("p", { class: "model-calls__controls" }, select, button, message),
    h("p", { class: "muted", text: "A new job for the same scope and period, linked to this one; it runs like any other." }));
}

function compareControl(job, samePeriod) {
  if (!samePeriod.length) {
    return h("div", { class: "model-calls__block" }, h("h4", { text: "Compare" }),
      h("p", { class: "muted", text: "No other report of this scope and period to compare with yet." }));
  }
  const select = h("select", { class: "input", "aria-label": "Report to compare with" },
    samePeriod.map((row) => h("option", { value: row.job_id, text: `${shortId(row.job_id)} · ${row.gen_model || DASH} · ${row.prompt_version || "no prompt version"}` })));
  const result = h("div", { class: "comparison" });
  const button = h("button", { type: "button", class: "btn btn--small", text: "Compare" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    result.replaceChildren(h("p", { class: "muted", text: "Comparing…" }));
    try {
      result.replaceChildren(...comparisonView(await compareReports(job.job_id, select.value)));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      result.replaceChildren(h("p", { class: "error-message", text: `Could not compare. ${err.message}` }));
    } finally {
      button.disabled = false;
    }
  });
  return h("div", { class: "model-calls__block" }, h("h4", { text: "Compare with another report of this scope and period" }),
    h("p", { class: "model-calls__controls" }, select, button), result);
}

function signed(value) {
  if (typeof value !== "number") return DASH;
  return `${value > 0 ? "+" : ""}${value.toLocaleString()}`;
}

function comparisonView(data) {
  const sides = [data.left, data.right];
  const row = (label, pick) => h("tr", {}, h("th", { scope: "row", text: label }), sides.map((side) => h("td", {}, pick(side) ?? DASH)));
  const sideTable = h("div", { class: "table-wrap" }, h("table", { class: "kpis comparison__sides" },
    h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "" }), h("th", { scope: "col", text: "This report" }), h("th", { scope: "col", text: "Other report" }))),
    h("tbody", {},
      row("Job", (side) => h("code", { text: side.job_id })),
      row("Model", (side) => side.model),
      row("Model chosen", (side) => side.model_choice),
      row("Prompt version", (side) => side.prompt_version),
      row("Tokens", (side) => (side.total_tokens === null ? DASH : `${count(side.prompt_tokens)} in · ${count(side.completion_tokens)} out`)),
      row("Cost", (side) => usd(side.cost) ?? "Not priced"),
      row("Generation time", (side) => milliseconds(side.gen_ms)),
      row("Rating", (side) => side.rating),
    )));
  const kpis = h("div", { class: "table-wrap" }, h("table", { class: "kpis comparison__kpis" },
    h("thead", {}, h("tr", {}, ["KPI", "This report", "Other report", "Difference"].map((label) => h("th", { scope: "col", text: label })))),
    h("tbody", {}, data.kpis.map((kpi) => h("tr", {},
      h("td", { text: kpi.name }),
      h("td", { text: withUnit(kpi.left, kpi.unit) }),
      h("td", { text: withUnit(kpi.right, kpi.unit) }),
      h("td", { class: "comparison__difference", text: signed(kpi.difference) }),
    )))));
  const sections = Object.entries(data.sections).map(([name, segments]) => h("div", { class: "comparison__section", dataset: { section: name } },
    h("h5", { text: titleCase(name) }),
    h("p", { class: "diff" }, segments.map((segment) => diffSegment(segment)))));
  return [sideTable, kpis, h("p", { class: "muted", text: "Text: struck-through words are only in this report, underlined ones only in the other." }), ...sections];
}

function diffSegment(segment) {
  if (segment.op === "removed") return h("del", { text: segment.text });
  if (segment.op === "added") return h("ins", { text: segment.text });
  return segment.text;
}

function withUnit(value, unit) {
  if (typeof value !== "number") return DASH;
  return unit ? `${value.toLocaleString()} ${unit}` : value.toLocaleString();
}
