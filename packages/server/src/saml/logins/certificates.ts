import { X509Certificate } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { SamlCertificateInvalid } from '../errors.ts';

const PEM_RE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;

/** The DER of a certificate as PEM (64-character lines). */
export function derToPem(der: Buffer): string {
  const b64 = der.toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** A PEM certificate's Base64 DER, as metadata carries it in ds:X509Certificate. */
export function pemBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/**
 * Reads one or more certificates given as PEM or as Base64 DER (as metadata and the ArcGIS form
 * give them); answers them as PEM. `what` names the field in the error.
 */
export function readCertificates(text: string, what: string): string[] {
  const trimmed = text.trim();
  if (!trimmed)
    throw new MeridianError(SamlCertificateInvalid, `The ${what} is empty. ${SamlCertificateInvalid.fix}`);
  const bodies = trimmed.includes('-----BEGIN')
    ? [...trimmed.matchAll(PEM_RE)].map((m) => m[1]!.replace(/\s+/g, ''))
    : [trimmed.replace(/\s+/g, '')];
  if (!bodies.length)
    throw new MeridianError(
      SamlCertificateInvalid,
      `The ${what} has no -----BEGIN CERTIFICATE----- block (a private key or a request is not a certificate). ${SamlCertificateInvalid.fix}`,
    );
  return bodies.map((b, i) => {
    const label = bodies.length > 1 ? `${what} (certificate ${i + 1})` : what;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b))
      throw new MeridianError(
        SamlCertificateInvalid,
        `The ${label} is not Base64 text. ${SamlCertificateInvalid.fix}`,
      );
    const der = Buffer.from(b, 'base64');
    try {
      new X509Certificate(der);
    } catch {
      throw new MeridianError(
        SamlCertificateInvalid,
        `The ${label} is Base64 but not an X.509 certificate (it may be truncated). ${SamlCertificateInvalid.fix}`,
      );
    }
    return derToPem(der);
  });
}

/** Subject, expiry and SHA-256 fingerprint, for the administrator to compare with the IdP's. */
export function describeCertificate(pem: string): { subject: string; notAfter: number; sha256: string } {
  const c = new X509Certificate(pem);
  return {
    subject: c.subject.replace(/\n/g, ', '),
    notAfter: Date.parse(c.validTo),
    sha256: c.fingerprint256,
  };
}
