// The Performance panel: four charts from GET /api/admin/metrics, each with a one-line summary.

import { h } from "../dom.js";
import { count, duration } from "../format.js";
import { bars, createChart, palette } from "./charts.js";

const percent = (value) => (typeof value === "number" ? `${Math.round(value * 1000) / 10}%` : "—");
// Time ticks fall on round steps (1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 6, 12 h; 1 d),
// about five over the range, and read short ("90 s", "5 min", "2 h"); the legend shows the exact value.
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400];
export function timeSplits(_u, _axis, min, max) {
  const step = TIME_STEPS.find((candidate) => candidate * 5 >= max - min) ?? Math.ceil((max - min) / 5 / 86400) * 86400;
  const ticks = [];
  for (let tick = Math.ceil(min / step) * step; tick <= max; tick += step) ticks.push(tick);
  return ticks;
}
export function shortDuration(value) {
  if (value >= 3600 && value % 3600 === 0) return `${value / 3600} h`;
  if (value >= 60 && value % 60 === 0) return `${value / 60} min`;
  if (value < 120) return `${Math.round(value * 10) / 10} s`;
  if (value < 7200) return `${Math.round(value / 6) / 10} min`;
  return `${Math.round(value / 360) / 10} h`;
}
const seconds = (_u, ticks) => ticks.map(shortDuration);
const percentTicks = (_u, ticks) => ticks.map((value) => `${Math.round(value * 100)}%`);
const countTicks = (_u, ticks) => ticks.map((value) => (Number.isInteger(value) ? count(value) : ""));

const RANGE_TEXT = { "24h": "the last 24 hours", "7d": "the last 7 days", "30d": "the last 30 days" };

function figure(id, title, summary) {
  const plot = h("div", { class: "ops-chart__plot" });
  const node = h("figure", { class: "ops-chart", dataset: { chart: id } },
    h("figcaption", {}, h("h3", { text: title }), h("p", { class: "muted ops-chart__summary", text: summary })),
    plot,
  );
  return { node, plot };
}

function peak(values) {
  const numbers = values.filter((value) => typeof value === "number");
  return numbers.length ? Math.max(...numbers) : null;
}

function definitions(data, colors) {
  const { series, totals } = data;
  const when = RANGE_TEXT[data.range] ?? data.range;
  const dashed = [6, 4];
  return [
    {
      id: "outcomes",
      title: `Succeeded and failed per ${data.bucket}`,
      summary: `${count(totals.succeeded)} succeeded, ${count(totals.failed)} failed, ${count(totals.canceled)} canceled of ${count(totals.created)} jobs created in ${when}.`,
      yValues: countTicks,
      series: [
        { label: "Succeeded", data: series.succeeded, stroke: colors.succeeded, fill: colors.succeeded, paths: bars(-1), points: { show: false } },
        { label: "Failed", data: series.failed, stroke: colors.failed, fill: colors.failed, paths: bars(1), points: { show: false } },
      ],
    },
    {
      id: "success-rate",
      title: "Success rate",
      summary: `${percent(totals.success_rate)} of the jobs that finished succeeded (canceled jobs are left out).`,
      yValues: percentTicks,
      yRange: [0, 1],
      series: [{ label: "Success rate", data: series.success_rate, stroke: colors.succeeded, width: 2, value: (_u, v) => percent(v) }],
    },
    {
      id: "timing",
      title: "Queue wait and processing time",
      summary: `Worst p95 queue wait ${duration(peak(series.queue_wait_p95_seconds))}; worst p95 processing ${duration(peak(series.processing_p95_seconds))}.`,
      yValues: seconds,
      ySplits: timeSplits,
      series: [
        { label: "Queue wait p50", data: series.queue_wait_p50_seconds, stroke: colors.queued, width: 2, value: (_u, v) => duration(v) },
        { label: "Queue wait p95", data: series.queue_wait_p95_seconds, stroke: colors.queued, dash: dashed, value: (_u, v) => duration(v) },
        { label: "Processing p50", data: series.processing_p50_seconds, stroke: colors.running, width: 2, value: (_u, v) => duration(v) },
        { label: "Processing p95", data: series.processing_p95_seconds, stroke: colors.running, dash: dashed, value: (_u, v) => duration(v) },
      ],
    },
    {
      id: "models",
      title: "Average generation time per model",
      summary: data.models.length
        ? data.models.map((model) => `${model.model}: ${count(model.reports.reduce((a, b) => a + b, 0))} reports`).join("; ")
        : "No reports were generated in this range.",
      yValues: seconds,
      ySplits: timeSplits,
      series: data.models.map((model, index) => ({
        label: model.model,
        data: model.avg_gen_ms.map((ms) => (typeof ms === "number" ? ms / 1000 : null)),
        stroke: colors.models[index % colors.models.length],
        width: 2,
        value: (_u, v) => duration(v),
      })),
    },
  ];
}

export function createPerformance(root) {
  let charts = [];

  return {
    render(data) {
      for (const chart of charts) chart.destroy();
      const xs = data.buckets.map((iso) => Date.parse(iso) / 1000);
      const figures = definitions(data, palette()).map((definition) => ({ definition, ...figure(definition.id, definition.title, definition.summary) }));
      root.replaceChildren(...figures.map(({ node }) => node));
      charts = figures.map(({ definition, plot }) => createChart(plot, { xs, ...definition }));
    },
    showError(message) {
      for (const chart of charts) chart.destroy();
      charts = [];
      root.replaceChildren(h("p", { class: "error-message", text: message }));
    },
  };
}
