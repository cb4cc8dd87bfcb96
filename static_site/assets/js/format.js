// How numbers, times and durations read on the page; the exact value goes in a title on hover.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const compact = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", second: "2-digit" });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });
const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const DASH = "—";

export function shortId(id) {
  return id.length > 8 ? id.slice(0, 8) : id;
}

export function count(value) {
  return typeof value === "number" ? integer.format(value) : DASH;
}

export function localDateTime(iso) {
  return iso ? dateTime.format(new Date(iso)) : DASH;
}

export function compactDateTime(iso) {
  return iso ? compact.format(new Date(iso)) : DASH;
}

export function clockTime(iso) {
  return iso ? clock.format(new Date(iso)) : DASH;
}

export function localTime(date) {
  return timeOnly.format(date);
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
