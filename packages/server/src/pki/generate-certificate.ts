import { randomBytes } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { type CertificateDetails, describeCertificate } from './describe-certificate.ts';
import { InvalidCertificateRequest } from './errors.ts';
import { generateKey, importSigningKey, type KeySpec } from './keys.ts';
import type { KeyAndCert } from './local-ca.ts';
import { defaultSan, type SubjectFields, sanExtension, subjectName } from './subject.ts';
import { x509 } from './x509-provider.ts';

const DAY = 86_400_000;

export type ExtendedKeyUsageName = 'serverAuth' | 'clientAuth';

export interface GenerateCertificateOptions extends SubjectFields {
  /** The name the key and certificate are stored under. */
  alias: string;
  /** DNS names and IP addresses; defaults to the common name. */
  san?: string[];
  /** Default RSA. */
  keyAlg?: KeySpec['keyAlg'];
  /** Default 2048 for RSA, 256 for EC. */
  keySize?: number;
  /** Default 365. */
  validityDays?: number;
  /** Sign with this CA (usually the portal's local CA); self-signed when absent. */
  issuer?: KeyAndCert;
  /** Make a CA certificate (for intermediate CAs and tests). */
  isCA?: boolean;
  pathLength?: number;
  /** Default serverAuth + clientAuth for end-entity certificates, none for CAs. */
  extendedKeyUsage?: ExtendedKeyUsageName[];
  /** URL where clients can download the issuer's certificate (Authority Information Access). */
  caIssuersUrl?: string;
  /** Start of validity (default now). */
  now?: Date;
}

export interface GeneratedCertificate {
  alias: string;
  /** PKCS#8 PEM; the caller seals it before storing. */
  keyPem: string;
  certPem: string;
  /** The issuer's certificate PEM when issued by a CA; empty for self-signed. */
  chainPem: string;
  details: CertificateDetails;
}

const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function checkAlias(alias: string): void {
  if (!ALIAS.test(alias ?? ''))
    throw new MeridianError(
      InvalidCertificateRequest,
      `The alias "${alias}" is not valid: use 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit.`,
    );
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

/** Generates a key pair and a certificate for it: self-signed, or issued by `issuer`. */
export async function generateCertificate(opts: GenerateCertificateOptions): Promise<GeneratedCertificate> {
  checkAlias(opts.alias);
  const days = opts.validityDays ?? 365;
  if (!Number.isInteger(days) || days < 1 || days > 36_500)
    throw new MeridianError(
      InvalidCertificateRequest,
      `The validity must be a whole number of days from 1 to 36500, not ${days}.`,
    );
  const keyAlg = opts.keyAlg ?? 'RSA';
  const spec: KeySpec = { keyAlg, keySize: opts.keySize ?? (keyAlg === 'RSA' ? 2048 : 256) };
  const subject = subjectName(opts);
  const san = defaultSan(opts.cn, opts.san);
  const { keyPem, key } = await generateKey(spec);
  const now = opts.now ?? new Date();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(!!opts.isCA, opts.isCA ? opts.pathLength : undefined, true),
    new x509.KeyUsagesExtension(
      opts.isCA
        ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
        : keyAlg === 'RSA'
          ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
          : x509.KeyUsageFlags.digitalSignature,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(key.publicKey),
  ];
  const eku = opts.extendedKeyUsage ?? (opts.isCA ? [] : ['serverAuth', 'clientAuth']);
  if (eku.length)
    extensions.push(
      new x509.ExtendedKeyUsageExtension(
        eku.map((u) => x509.ExtendedKeyUsage[u]),
        false,
      ),
    );
  if (san.length) extensions.push(sanExtension(san));
  if (opts.caIssuersUrl)
    extensions.push(
      new x509.AuthorityInfoAccessExtension({ caIssuers: [new x509.GeneralName('url', opts.caIssuersUrl)] }),
    );
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + days * DAY);
  let cert: x509.X509Certificate;
  if (opts.issuer) {
    const caCert = new x509.X509Certificate(opts.issuer.certPem);
    const caKey = await importSigningKey(opts.issuer.keyPem);
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(caCert));
    cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: new x509.Name(subject),
      issuer: caCert.subjectName,
      notBefore,
      notAfter,
      signingAlgorithm: caKey.signingAlgorithm,
      publicKey: key.publicKey,
      signingKey: caKey.privateKey,
      extensions,
    });
  } else {
    cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serial(),
      name: new x509.Name(subject),
      notBefore,
      notAfter,
      signingAlgorithm: key.signingAlgorithm,
      keys: key,
      extensions,
    });
  }
  const certPem = `${cert.toString('pem')}\n`;
  return {
    alias: opts.alias,
    keyPem,
    certPem,
    chainPem: opts.issuer ? opts.issuer.certPem : '',
    details: describeCertificate(certPem),
  };
}
