import type { ExpiryState, Instant } from '../api/security.ts';

export function toMillis(value: Instant | undefined): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A calendar date (certificates expire on a day; the hour is noise in a table). */
export function formatDay(value: Instant | undefined): string {
  const ms = toMillis(value);
  return ms === undefined ? '—' : new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

/** The words of an expiry badge: never colour alone. */
export function expiryText(state: ExpiryState | string | undefined, daysLeft: number | undefined): string {
  const n = Math.max(0, Math.floor(daysLeft ?? 0));
  switch (state) {
    case 'expired':
      return 'Expired';
    case 'not_yet_valid':
      return 'Not yet valid';
    case 'expiring':
      return n === 0 ? 'Expires today' : `Expires in ${days(n)}`;
    default:
      return 'Valid';
  }
}

/** Text areas take one entry a line; the API takes lists. */
export function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((v) => v.trim())
    .filter(Boolean);
}
