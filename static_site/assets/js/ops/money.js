// Costs in the currency MODEL_PRICES is written in (USD): cents for sums, more digits for tiny ones.

const cents = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD", maximumSignificantDigits: 3 });

export function usd(value) {
  if (typeof value !== "number") return null;
  return value !== 0 && Math.abs(value) < 0.01 ? small.format(value) : cents.format(value);
}
