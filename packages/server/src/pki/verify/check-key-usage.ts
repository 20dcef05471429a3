import type { X509Certificate } from 'node:crypto';
import { describeCertificate, displayName } from '../describe-certificate.ts';
import type { TrustFinding } from './trust-finding.ts';

/** The leaf must be allowed for TLS server authentication. */
export function checkKeyUsage(leaf: X509Certificate): TrustFinding | undefined {
  const d = describeCertificate(leaf);
  const eku = d.extendedKeyUsage;
  if (eku.length && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) {
    return {
      code: 'trust.bad_key_usage',
      certificate: leaf,
      message: `The certificate "${displayName(leaf)}" may be used only for ${eku.join(', ')}, not for a TLS server (serverAuth).`,
    };
  }
  const ku = d.keyUsage;
  if (ku.length && !ku.includes('digitalSignature') && !ku.includes('keyEncipherment')) {
    return {
      code: 'trust.bad_key_usage',
      certificate: leaf,
      message: `The certificate "${displayName(leaf)}" has key usage ${ku.join(', ')}; a TLS server needs digitalSignature (or keyEncipherment for RSA).`,
    };
  }
  return undefined;
}
