// How numbers, times and durations read on the site. Every time shows its zone's label, in the zone
// chosen in the top bar (local or UTC, in localStorage: both pages follow it).

import { h } from "./dom.js";

const ZONE_KEY = "aiJobs.zone";
const HMS = { hour: "numeric", minute: "2-digit", second: "2-digit" };
const HM = { hour: "2-digit", minute: "2-digit" };
const STYLES = {
  full: { year: "numeric", month: "short", day: "numeric", ...HMS },
  compact: { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }, // seconds on hover
  time: HMS,
  clock: HM,
  day: { weekday: "short", month: "short", day: "numeric", ...HM },
};
const formats = new Map();
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const redraws = new Set();
const tz = (inZone) => (inZone === "utc" ? "UTC" : undefined);

export const DASH = "—";

/** "local" or "utc". */
export let zone = localStorage.getItem(ZONE_KEY) === "utc" ? "utc" : "local";

/** iso (or a Date) in one of STYLES. */
export function formatTime(iso, style = "full", inZone = zone) {
  if (!iso) return DASH;
  const key = style + inZone;
  if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(undefined, { ...STYLES[style], timeZoneName: "short", timeZone: tz(inZone) }));
  return formats.get(key).format(new Date(iso));
}

export function zoneName(inZone = zone) {
  return new Intl.DateTimeFormat(undefined, { timeZoneName: "short", timeZone: tz(inZone) }).formatToParts().find((part) => part.type === "timeZoneName").value;
}

/** A <time> (UTC on hover) that follows a change of zone. */
export function timeEl(iso, style = "full") {
  return iso ? h("time", { datetime: iso, title: utcTitle(iso), dataset: { style }, text: formatTime(iso, style) }) : DASH;
}

/** A cron's next run in both zones: "Mon, Dec 7, 06:00 AM UTC · Mon, Dec 7, 07:00 AM GMT+1". */
export function bothZones(iso) {
  const [utc, local] = [formatTime(iso, "day", "utc"), formatTime(iso, "day", "local")];
  return utc === local ? utc : `${utc} · ${local}`;
}

/** redraw() after a change of zone, for what is not a timeEl. */
export const onZone = (redraw) => redraws.add(redraw);

/** The top bar's zone <select>. */
export function zoneControl(select) {
  select.options[0].text = `local (${zoneName("local")})`;
  select.value = zone;
  select.addEventListener("change", () => {
    localStorage.setItem(ZONE_KEY, (zone = select.value));
    for (const el of document.querySelectorAll("time[data-style]")) el.textContent = formatTime(el.dateTime, el.dataset.style);
    for (const redraw of redraws) redraw();
  });
}

/** A date input's day for the API: a local day as its start (`after`: the next day's). */
export function apiDay(day, after = false) {
  if (zone === "utc" || !/^\d{4}-\d\d-\d\d$/.test(day)) return day;
  const [y, m, d] = day.split("-").map(Number);
  return new Date(y, m - 1, d + (after ? 1 : 0)).toISOString();
}

export function shortId(id) {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function count(value) {
  return typeof value === "number" ? integer.format(value) : DASH;
}

export function utcTitle(iso) {
  return iso ? `${iso.replace("T", " ").replace("Z", "")} UTC` : "";
}

export function duration(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return DASH;
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.floor(s)} s`;
  const units = [["d", 86400], ["h", 3600], ["min", 60], ["s", 1]];
  const parts = [];
  let rest = Math.floor(s);
  for (const [label, size] of units) {
    if (rest >= size || parts.length) {
      parts.push(`${Math.floor(rest / size)} ${label}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

export function exactSeconds(seconds) {
  return typeof seconds === "number" ? `${seconds.toFixed(3)} seconds` : "";
}

export function titleCase(word) {
  return word ? word[0].toUpperCase() + word.slice(1) : "";
}
