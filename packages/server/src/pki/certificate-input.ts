import { X509Certificate } from 'node:crypto';
import { parseCertificates } from './parse-certificates.ts';

/** A certificate as any PKI function accepts it: parsed, PEM/DER text or bytes (first certificate). */
export type CertificateInput = X509Certificate | string | Uint8Array;

export function toX509(input: CertificateInput): X509Certificate {
  if (input instanceof X509Certificate) return input;
  return parseCertificates(input)[0]!;
}

/** Every certificate in every input (PEM bundles give several). */
export function toX509List(inputs: readonly CertificateInput[]): X509Certificate[] {
  return inputs.flatMap((i) => (i instanceof X509Certificate ? [i] : parseCertificates(i)));
}

/** Same certificate, byte for byte. */
export function sameCertificate(a: X509Certificate, b: X509Certificate): boolean {
  return a.fingerprint256 === b.fingerprint256;
}

/**
 * Issued by itself and signed with its own key. (Not checkIssued(): OpenSSL's check also
 * wants keyCertSign, which a self-signed server certificate rightly lacks.)
 */
export function isSelfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && cert.verify(cert.publicKey);
}
