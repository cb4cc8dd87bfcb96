// Charts drawn by the vendored uPlot (/vendor/uplot, loaded as a classic script: window.uPlot).
// Colours come from the page's CSS variables so the charts follow light and dark mode.

import { zone, zoneName } from "../format.js";

const HEIGHT = 220;

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export function palette() {
  return {
    text: cssVar("--muted"),
    grid: cssVar("--border"),
    succeeded: cssVar("--succeeded-line"),
    failed: cssVar("--failed-line"),
    running: cssVar("--running-line"),
    queued: cssVar("--queued-line"),
    total: cssVar("--total-line"),
    models: [cssVar("--running-line"), cssVar("--total-line"), cssVar("--queued-line"), cssVar("--succeeded-line"), cssVar("--failed-line"), cssVar("--canceled-line")],
  };
}

// The time axis reads in the zone the viewer chose (format.js), and says which.
const zonedDate = (ts) => (zone === "utc" ? window.uPlot.tzDate(new Date(ts * 1000), "Etc/UTC") : new Date(ts * 1000));

function axis(colors, values) {
  return { stroke: colors.text, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, values };
}

// The Y axis is as wide as its longest label (measured in the axis font), so "66.7 min" is never
// cut to "6.7 min". The labels drawn are kept on the plot (data-y-labels) for the tests to read.
function labelWidth(root) {
  return (u, values, axisIdx, cycleNum) => {
    const axis = u.axes[axisIdx];
    if (cycleNum > 1) return axis._size;
    root.dataset.yLabels = JSON.stringify(values ?? []);
    u.ctx.font = axis.font[0];
    const widest = Math.max(0, ...(values ?? []).map((text) => u.ctx.measureText(String(text)).width));
    return Math.ceil(axis.ticks.size + axis.gap + widest / devicePixelRatio + 4);
  };
}

export function bars(align) {
  return window.uPlot.paths.bars({ size: [0.4, 24], align });
}

// One chart in `root`: x = bucket starts (seconds), then one array per series.
export function createChart(root, { xs, series, yValues, yRange, ySplits }) {
  const colors = palette();
  const xLabel = `Time (${zoneName()})`;
  root.dataset.xLabel = xLabel; // drawn on the canvas; kept here for the tests to read, as data-y-labels
  const options = {
    width: Math.max(root.clientWidth, 280),
    height: HEIGHT,
    tzDate: zonedDate,
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: yRange ? { range: yRange } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [{ ...axis(colors), label: xLabel, labelSize: 20 }, { ...axis(colors, yValues), size: labelWidth(root), ...(ySplits ? { splits: ySplits } : {}) }],
    series: [{}, ...series.map(({ data: _data, ...options }) => ({ spanGaps: false, points: { show: true, size: 4 }, ...options }))],
  };
  const chart = new window.uPlot(options, [xs, ...series.map((line) => line.data)], root);
  let width = options.width;
  const observer = new ResizeObserver(() => {
    const next = Math.max(root.clientWidth, 280);
    if (next !== width) chart.setSize({ width: (width = next), height: HEIGHT });
  });
  observer.observe(root);
  return { destroy() { observer.disconnect(); chart.destroy(); } };
}
