/** Fields of the API's answers that hold a time as milliseconds since 1970. */
const TIME_FIELDS = new Set(['validFrom', 'validUntil', 'checkedAt', 'notAfter', 'created', 'modified']);

/** A copy of `value` with every time field as an ISO 8601 date-time, for printing. */
export function withIsoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIsoTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      TIME_FIELDS.has(k) && typeof v === 'number' ? new Date(v).toISOString() : withIsoTimes(v),
    ]),
  );
}

/** JSON for the terminal: indented, times as ISO dates. */
export function printableJson(value: unknown): string {
  return `${JSON.stringify(withIsoTimes(value), null, 2)}\n`;
}

/** A day as an ISO date (2026-05-01), for tables. */
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
