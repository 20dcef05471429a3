import type { X509Certificate } from 'node:crypto';
import { describeCertificate, displayName } from '../describe-certificate.ts';
import type { TrustFinding } from './trust-finding.ts';

export interface KeyUsageOptions {
  /**
   * Accept an RSA certificate whose key usage has keyEncipherment but not digitalSignature
   * (RSA key exchange, TLS 1.2 only). True when judging another server; false for this
   * portal's own listener, whose cipher suites all sign the handshake (ECDHE, DHE, TLS 1.3).
   */
  rsaKeyExchange?: boolean;
}

/** Everything that keeps the leaf from being used for TLS server authentication. */
export function checkKeyUsage(leaf: X509Certificate, opts: KeyUsageOptions = {}): TrustFinding[] {
  const findings: TrustFinding[] = [];
  const d = describeCertificate(leaf);
  const eku = d.extendedKeyUsage;
  if (eku.length && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) {
    findings.push({
      code: 'trust.bad_key_usage',
      certificate: leaf,
      message: `The certificate "${displayName(leaf)}" may be used only for ${eku.join(', ')}, not for a TLS server (its extended key usage lacks serverAuth).`,
    });
  }
  const ku = d.keyUsage;
  if (ku.length && !ku.includes('digitalSignature')) {
    const rsa = leaf.publicKey.asymmetricKeyType === 'rsa';
    const exchangeOk = rsa && opts.rsaKeyExchange !== false && ku.includes('keyEncipherment');
    if (!exchangeOk)
      findings.push({
        code: 'trust.bad_key_usage',
        certificate: leaf,
        message: `The certificate "${displayName(leaf)}" has key usage ${ku.join(', ')}; a TLS server ${
          rsa
            ? opts.rsaKeyExchange === false
              ? 'here needs digitalSignature (every cipher suite this portal offers signs the handshake: ECDHE, DHE, TLS 1.3)'
              : 'needs digitalSignature (or keyEncipherment for RSA key exchange)'
            : `with an ${leaf.publicKey.asymmetricKeyType?.toUpperCase() ?? ''} key needs digitalSignature`
        }.`,
      });
  }
  return findings;
}
