// Generation times and sizes, for Details and the Operations page (the list needs neither).

import { DASH, count } from "./format.js";

export function milliseconds(ms) {
  if (typeof ms !== "number") return DASH;
  return ms < 1000 ? `${count(ms)} ms` : `${(ms / 1000).toFixed(2)} s (${count(ms)} ms)`;
}

export function bytes(n) {
  if (typeof n !== "number") return DASH;
  if (n < 1024) return `${count(n)} bytes`;
  return `${(n / 1024).toFixed(1)} KB (${count(n)} bytes)`;
}
