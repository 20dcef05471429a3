/**
 * sslcertificates/generate's ArcGIS Server parameters (alias, keyalg, keysize, sigalg,
 * commonName, organizationalUnit, organization, city, state, country, validity, san) as the
 * pki module's generate input: a certificate issued by the server's own CA.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { GenerateInput } from '../../pki/module.ts';
import { CertificateParameterInvalid } from './errors.ts';

export interface GenerateArgs {
  alias: string;
  keyalg?: string;
  keysize?: number;
  sigalg?: string;
  commonName?: string;
  organizationalUnit?: string;
  organization?: string;
  city?: string;
  state?: string;
  country?: string;
  validity?: number;
  san?: string;
}

/** ArcGIS Server's default validity (days) when none is given. */
const DEFAULT_VALIDITY_DAYS = 90;

const invalid = (message: string) => new MeridianError(CertificateParameterInvalid, message);

function keyAlgorithm(keyalg: string | undefined): 'RSA' | 'EC' {
  const k = (keyalg ?? 'RSA').trim().toUpperCase();
  if (k === 'RSA') return 'RSA';
  if (k === 'EC' || k === 'ECDSA') return 'EC';
  throw invalid(`keyalg '${keyalg}' is not supported: use RSA or EC (DSA keys cannot serve TLS 1.3).`);
}

/** The signature algorithm the pki module signs with for this key (SHA-1 is never used). */
function signatureAlgorithm(keyAlg: 'RSA' | 'EC', keySize: number | undefined): string {
  if (keyAlg === 'RSA') return 'SHA256withRSA';
  return keySize === 384 ? 'SHA384withECDSA' : 'SHA256withECDSA';
}

/** Subject alternative names: a comma list of names, with or without keytool's DNS:/IP: prefixes. */
function sanList(san: string | undefined): string[] | undefined {
  const names = (san ?? '')
    .split(',')
    .map((s) => s.trim().replace(/^(dns|ip):/i, ''))
    .filter(Boolean);
  return names.length ? names : undefined;
}

/** The generate input; `defaultName` (the machine's host name) is the common name when none is given. */
export function generateInput(a: GenerateArgs, defaultName: string): GenerateInput {
  const keyAlg = keyAlgorithm(a.keyalg);
  const sig = signatureAlgorithm(keyAlg, a.keysize);
  if (a.sigalg?.trim() && a.sigalg.trim().toLowerCase() !== sig.toLowerCase())
    throw invalid(
      `sigalg '${a.sigalg}' is not supported for this key: Meridian signs ${keyAlg}${a.keysize ? ` ${a.keysize}` : ''} certificates with ${sig}. Leave sigalg empty or send ${sig}.`,
    );
  const san = sanList(a.san);
  return {
    alias: a.alias,
    cn: a.commonName?.trim() || defaultName,
    org: a.organization,
    orgUnit: a.organizationalUnit,
    city: a.city,
    state: a.state,
    country: a.country,
    keyAlg,
    ...(a.keysize ? { keySize: a.keysize } : {}),
    ...(san ? { san } : {}),
    validityDays: a.validity ?? DEFAULT_VALIDITY_DAYS,
    signedBy: 'portalCA',
  };
}
