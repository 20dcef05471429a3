import { Link } from 'react-router';
import { getHealth, type HealthWarning } from '../api/security.ts';
import { useCertificatesChanged } from '../lib/certificate-events.ts';
import { expiryText, formatDay } from '../lib/certificate-format.ts';
import { useAsync } from '../lib/use-async.ts';
import { SECURITY_PAGES } from '../pages/security-routes.ts';
import { pagePath } from '../router/paths.ts';

function storeName(store: string): string {
  return store === 'trustStore' ? 'Trusted certificate' : 'Certificate';
}

/** The server's sentence when it gives one (it names the certificate, the date and the fix). */
function describe(w: HealthWarning): string {
  if (w.message) return w.message;
  const when = `${expiryText(w.state, w.daysLeft).toLowerCase()} (${formatDay(w.validUntil)})`;
  return `${storeName(w.store)} "${w.alias}"${w.subject ? ` (${w.subject})` : ''}: ${when}.`;
}

/**
 * The health check's certificate warnings (expiring within the window, or expired), naming each
 * certificate. Renders nothing when all is well, or when the check itself cannot be read.
 */
export function CertificateHealthBanner() {
  const health = useAsync(getHealth, []);
  useCertificatesChanged(health.reload);
  const warnings = health.data?.warnings ?? [];
  if (warnings.length === 0) return null;
  return (
    <aside className="warning" aria-label="Certificate warnings" data-testid="certificate-warnings">
      <strong>
        {warnings.length === 1
          ? 'A certificate needs attention'
          : `${warnings.length} certificates need attention`}
      </strong>
      <ul>
        {warnings.map((w) => (
          <li key={`${w.store}/${w.alias}`} data-testid={`certificate-warning-${w.alias}`}>
            {describe(w)}
          </li>
        ))}
      </ul>
      <Link to={pagePath(SECURITY_PAGES.certificates)}>Manage certificates</Link>
    </aside>
  );
}
