import type { ExpiryState } from '../api/security.ts';
import { expiryText } from '../lib/certificate-format.ts';

interface ExpiryBadgeProps {
  state: ExpiryState | string | undefined;
  daysLeft: number | undefined;
}

/** Valid / expiring / expired, in words and in colour. */
export function ExpiryBadge({ state, daysLeft }: ExpiryBadgeProps) {
  const kind =
    state === 'expired' || state === 'not_yet_valid' ? 'bad' : state === 'expiring' ? 'warn' : 'ok';
  return (
    <span className={`badge badge-${kind}`} data-testid="expiry-badge">
      {expiryText(state, daysLeft)}
    </span>
  );
}
