import { createPrivateKey, randomBytes, type webcrypto, X509Certificate } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

import { isIP } from 'node:net';
import { hostname as osHostname } from 'node:os';
import { toPem } from './pem.ts';
import { subtle, x509 } from './x509-provider.ts';

const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface KeyAndCert {
  /** PKCS#8 PEM private key. */
  keyPem: string;
  /** Certificate PEM (leaf only). */
  certPem: string;
}

function serial(): string {
  // Positive 128-bit serial number.
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

async function exportKeyPem(key: CryptoKey): Promise<string> {
  return toPem('PRIVATE KEY', await subtle.exportKey('pkcs8', key));
}

/** Creates a node's root certificate authority (a portal's or a GIS server's): ECDSA P-256, valid for 20 years. */
export async function createRootCa(commonName: string, now = new Date()): Promise<KeyAndCert> {
  const keys = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${commonName}, O=Meridian`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 20 * 365 * DAY),
    signingAlgorithm: SIGN,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { keyPem: await exportKeyPem(keys.privateKey), certPem: `${cert.toString('pem')}\n` };
}

async function importPrivateKey(keyPem: string): Promise<CryptoKey> {
  const der = createPrivateKey(keyPem).export({ format: 'der', type: 'pkcs8' });
  return subtle.importKey('pkcs8', der, EC, false, ['sign']);
}

/** The names a default web server certificate carries. */
export function defaultServerNames(extra: string[] = []): string[] {
  const names = ['localhost', '127.0.0.1', '::1', osHostname(), ...extra];
  return [...new Set(names.filter(Boolean).map((n) => n.toLowerCase()))];
}

/** Issues a TLS server certificate for `names` (DNS names and IP addresses) from the CA. */
export async function issueServerCertificate(
  ca: KeyAndCert,
  names: string[],
  days: number,
  now = new Date(),
): Promise<KeyAndCert> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importPrivateKey(ca.keyPem);
  const keys = (await subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const san = names.map((n) =>
    isIP(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n },
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + days * DAY),
    signingAlgorithm: SIGN,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(san, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { keyPem: await exportKeyPem(keys.privateKey), certPem: `${cert.toString('pem')}\n` };
}

/** Milliseconds until a PEM certificate expires (negative when expired). */
export function msUntilExpiry(certPem: string, now = Date.now()): number {
  return new Date(new X509Certificate(certPem).validTo).getTime() - now;
}
