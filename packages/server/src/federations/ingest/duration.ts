/**
 * An xs:duration (cacheDuration) in milliseconds: PnYnMnDTnHnMnS, a month as 30 days and a year
 * as 365. Null when it is not a duration (or negative): the refresh then uses its default.
 */
export function parseDuration(text: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
    text.trim(),
  );
  if (!m || text.trim() === 'P' || text.trim().endsWith('T')) return null;
  const [, y, mo, d, h, mi, s] = m;
  const n = (v: string | undefined) => (v === undefined ? 0 : Number(v));
  const days = n(y) * 365 + n(mo) * 30 + n(d);
  return Math.round(((days * 24 + n(h)) * 60 + n(mi)) * 60_000 + n(s) * 1000);
}
