import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { describeCertificate } from '../describe-certificate.ts';
import type { TrustFinding } from './trust-finding.ts';

/** The leaf must carry the host name (or IP address) the URL names. */
export function checkHost(leaf: X509Certificate, host: string): TrustFinding | undefined {
  const h = host.replace(/^\[|\]$/g, '');
  const ok = isIP(h) ? leaf.checkIP(h) !== undefined : leaf.checkHost(h) !== undefined;
  if (ok) return undefined;
  const d = describeCertificate(leaf);
  const names = [...d.dnsNames, ...d.ipAddresses];
  const carried = names.length ? names : [`no subject alternative name (subject ${d.subject})`];
  return {
    code: 'trust.hostname_mismatch',
    certificate: leaf,
    names,
    message: `The certificate of ${h} is issued for ${carried.join(', ')}, not for ${h}.`,
  };
}
