import type { X509Certificate } from 'node:crypto';
import { type CertificateInput, isSelfSigned, toX509 } from './certificate-input.ts';
import { x509 } from './x509-provider.ts';

const DAY = 86_400_000;

export type ExpiryState = 'valid' | 'expiring' | 'expired' | 'not_yet_valid';

/** The details ArcGIS shows for an SSL certificate, plus what Meridian needs to explain trust. */
export interface CertificateDetails {
  /** RFC 4514 order, most specific first: "CN=portal.example.com, O=Example, C=US". */
  subject: string;
  issuer: string;
  /** "DNS:name" / "IP:address" entries, as openssl and ArcGIS list them. */
  subjectAlternativeNames: string[];
  dnsNames: string[];
  ipAddresses: string[];
  validFrom: number;
  validUntil: number;
  /** "RSA", "EC", "Ed25519"… */
  keyAlgorithm: string;
  /** Bits: RSA modulus, EC field size. */
  keySize: number | undefined;
  /** EC curve, "P-256" / "P-384" / …. */
  curve: string | undefined;
  signatureAlgorithm: string;
  /** Upper-case hex, no colons, as `openssl x509 -serial` prints it. */
  serialNumber: string;
  /** "AB:CD:…", as `openssl x509 -fingerprint` prints it. */
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  isCA: boolean;
  pathLength: number | undefined;
  selfSigned: boolean;
  keyUsage: string[];
  extendedKeyUsage: string[];
  /** CA Issuers URLs from the Authority Information Access extension. */
  caIssuersUrls: string[];
  expiry: { state: ExpiryState; daysLeft: number };
}

export interface DescribeOptions {
  now?: number;
  /** A certificate expiring within this many days is 'expiring'. Default 30. */
  expiringWithinDays?: number;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const CURVE_BITS: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };
const KEY_TYPES: Record<string, string> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
};

const KU_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'digitalSignature'],
  [x509.KeyUsageFlags.nonRepudiation, 'nonRepudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'keyEncipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'dataEncipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'keyAgreement'],
  [x509.KeyUsageFlags.keyCertSign, 'keyCertSign'],
  [x509.KeyUsageFlags.cRLSign, 'cRLSign'],
  [x509.KeyUsageFlags.encipherOnly, 'encipherOnly'],
  [x509.KeyUsageFlags.decipherOnly, 'decipherOnly'],
];

export const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'serverAuth',
  '1.3.6.1.5.5.7.3.2': 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
  '2.5.29.37.0': 'anyExtendedKeyUsage',
};

export function describeCertificate(input: CertificateInput, opts: DescribeOptions = {}): CertificateDetails {
  const cert = toX509(input);
  const p = new x509.X509Certificate(cert.raw);
  const validFrom = Date.parse(cert.validFrom);
  const validUntil = Date.parse(cert.validTo);
  const key = cert.publicKey;
  const curveName = key.asymmetricKeyDetails?.namedCurve;
  const curve = curveName ? (CURVES[curveName] ?? curveName) : undefined;
  const san = p.getExtension(x509.SubjectAlternativeNameExtension);
  const dnsNames = san?.names.items.filter((n) => n.type === 'dns').map((n) => n.value) ?? [];
  const ipAddresses = san?.names.items.filter((n) => n.type === 'ip').map((n) => n.value) ?? [];
  const bc = p.getExtension(x509.BasicConstraintsExtension);
  const ku = p.getExtension(x509.KeyUsagesExtension);
  const eku = p.getExtension(x509.ExtendedKeyUsageExtension);
  const aia = p.getExtension(x509.AuthorityInfoAccessExtension);
  return {
    subject: rfc4514(p.subjectName),
    issuer: rfc4514(p.issuerName),
    subjectAlternativeNames: [...dnsNames.map((n) => `DNS:${n}`), ...ipAddresses.map((n) => `IP:${n}`)],
    dnsNames,
    ipAddresses,
    validFrom,
    validUntil,
    keyAlgorithm: KEY_TYPES[key.asymmetricKeyType ?? ''] ?? String(key.asymmetricKeyType),
    keySize: key.asymmetricKeyDetails?.modulusLength ?? (curve ? CURVE_BITS[curve] : undefined),
    curve,
    signatureAlgorithm: signatureAlgorithmName(p),
    serialNumber: cert.serialNumber.toUpperCase(),
    sha1Fingerprint: cert.fingerprint,
    sha256Fingerprint: cert.fingerprint256,
    isCA: cert.ca,
    pathLength: bc?.pathLength,
    selfSigned: isSelfSigned(cert),
    keyUsage: ku ? KU_NAMES.filter(([flag]) => (ku.usages & flag) !== 0).map(([, n]) => n) : [],
    extendedKeyUsage: eku ? [...eku.usages].map((u) => EKU_NAMES[String(u)] ?? String(u)) : [],
    caIssuersUrls: aia?.caIssuers.filter((g) => g.type === 'url').map((g) => g.value) ?? [],
    expiry: expiryOf(validFrom, validUntil, opts),
  };
}

export function expiryOf(
  validFrom: number,
  validUntil: number,
  opts: DescribeOptions = {},
): { state: ExpiryState; daysLeft: number } {
  const now = opts.now ?? Date.now();
  const window = (opts.expiringWithinDays ?? 30) * DAY;
  const daysLeft = Math.floor((validUntil - now) / DAY);
  if (now < validFrom) return { state: 'not_yet_valid', daysLeft };
  if (now > validUntil) return { state: 'expired', daysLeft };
  if (validUntil - now <= window) return { state: 'expiring', daysLeft };
  return { state: 'valid', daysLeft };
}

/** Short name for reports: the subject's CN, else the whole subject. */
export function displayName(cert: X509Certificate): string {
  const p = new x509.X509Certificate(cert.raw);
  return p.subjectName.getField('CN')[0] ?? rfc4514(p.subjectName);
}

/** Subject as RFC 4514 (most specific first). */
export function subjectOf(cert: X509Certificate): string {
  return rfc4514(new x509.X509Certificate(cert.raw).subjectName);
}

export function issuerOf(cert: X509Certificate): string {
  return rfc4514(new x509.X509Certificate(cert.raw).issuerName);
}

function rfc4514(name: x509.Name): string {
  return new x509.Name([...name.toJSON()].reverse()).toString();
}

function signatureAlgorithmName(p: x509.X509Certificate): string {
  const alg = p.signatureAlgorithm as { name?: string; hash?: { name?: string } | string };
  const hash = typeof alg.hash === 'string' ? alg.hash : alg.hash?.name;
  return [alg.name, hash].filter(Boolean).join(' with ');
}
