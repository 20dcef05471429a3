import type { X509Certificate } from 'node:crypto';
import { displayName } from '../describe-certificate.ts';
import type { TrustFinding } from './trust-finding.ts';

const DAY = 86_400_000;

/**
 * Every certificate (in the given order) that is expired or not yet valid at `now`; `leaf` is
 * named "the server certificate" in the messages, the others "the CA certificate".
 */
export function checkValidity(
  certs: readonly X509Certificate[],
  now = Date.now(),
  leaf?: X509Certificate,
): TrustFinding[] {
  const findings: TrustFinding[] = [];
  for (const cert of certs) {
    const from = Date.parse(cert.validFrom);
    const until = Date.parse(cert.validTo);
    const role = cert === leaf ? 'The server certificate' : 'The CA certificate';
    if (now > until) {
      const days = Math.floor((now - until) / DAY);
      findings.push({
        code: 'trust.expired',
        certificate: cert,
        message: `${role} "${displayName(cert)}" expired on ${new Date(until).toISOString()}${days > 0 ? ` (${days} day${days === 1 ? '' : 's'} ago)` : ''}.`,
      });
    } else if (now < from) {
      findings.push({
        code: 'trust.not_yet_valid',
        certificate: cert,
        message: `${role} "${displayName(cert)}" is not valid before ${new Date(from).toISOString()}; the clock here says ${new Date(now).toISOString()}.`,
      });
    }
  }
  return findings;
}
