import type {
  CertificateListJson,
  CertificateSummaryJson,
  DiagnosisJson,
  EXPIRY_STATES,
  HealthJson,
  PresentedCertificateJson,
  TrustEntryJson,
} from '@meridian/server/pki/schemas.ts';
import { request } from './client.ts';
import { ApiError } from './errors.ts';

const enc = encodeURIComponent;
const SSL = '/portaladmin/security/sslCertificates';
const TRUST = '/portaladmin/security/trustStore';

export type ExpiryState = (typeof EXPIRY_STATES)[number];

/** Times are epoch milliseconds (an ISO string is tolerated). */
export type Instant = number | string;

export type ServerCertificate = CertificateSummaryJson;

export type SslSettings = CertificateListJson & {
  /** Offered by some servers: every suite an administrator may choose. */
  availableCipherSuites?: string[];
};

export async function getSslSettings(): Promise<SslSettings> {
  const a = await request<Partial<SslSettings>>(SSL);
  return {
    sslCertificates: a.sslCertificates ?? [],
    webServerCertificateAlias: a.webServerCertificateAlias ?? '',
    sslProtocols: a.sslProtocols ?? [],
    cipherSuites: a.cipherSuites ?? [],
    availableCipherSuites: a.availableCipherSuites,
    HSTSEnabled: a.HSTSEnabled === true,
    sniCertificates: a.sniCertificates ?? {},
    httpsRequiredPaths: a.httpsRequiredPaths ?? [],
    certificates: a.certificates ?? [],
  };
}

export interface NewCertificate {
  alias: string;
  cn: string;
  org: string;
  orgUnit: string;
  city: string;
  state: string;
  country: string;
  /** Comma-separated DNS names and IP addresses. */
  san: string;
  keyAlg: 'RSA' | 'EC';
  keySize: number;
  validity: number;
  signedBy: 'portalCA' | 'self';
}

export function generateCertificate(cert: NewCertificate): Promise<{ status: string; alias: string }> {
  const form: Record<string, string | number | undefined> = { ...cert };
  for (const [k, v] of Object.entries(form)) if (v === '') form[k] = undefined;
  return request(`${SSL}/generate`, { method: 'POST', form });
}

export function generateCsr(alias: string): Promise<{ certificateSigningRequest: string }> {
  return request(`${SSL}/${enc(alias)}/generateCSR`, { method: 'POST', form: {} });
}

/** A certificate given as a file or as pasted PEM text (exactly one of them). */
export interface CertificateSource {
  file?: File | null;
  pem?: string;
}

function sourceFields(source: CertificateSource) {
  return {
    form: { certificate: source.file ? undefined : source.pem?.trim() || undefined },
    files: source.file ? { file: source.file } : undefined,
  };
}

export function importSignedCertificate(
  alias: string,
  source: CertificateSource,
  allowIncompleteChain = false,
): Promise<{ status: string; alias: string; chainComplete?: boolean }> {
  const { form, files } = sourceFields(source);
  return request(`${SSL}/${enc(alias)}/importSignedCertificate`, {
    method: 'POST',
    form: { ...form, allowIncompleteChain: allowIncompleteChain || undefined },
    files,
  });
}

export function importServerCertificate(
  alias: string,
  password: string,
  file: File,
): Promise<{ status: string; alias: string }> {
  return request(`${SSL}/importExistingServerCertificate`, {
    method: 'POST',
    form: { alias, certPassword: password },
    files: { file },
  });
}

/** A plain same-origin link: the browser sends the session cookie with the download. */
export function exportCertificateUrl(alias: string, format: 'der' | 'pem'): string {
  return `${SSL}/${enc(alias)}/export?format=${format}`;
}

export function deleteCertificate(alias: string): Promise<{ status: string }> {
  return request(`${SSL}/${enc(alias)}/delete`, { method: 'POST', form: {} });
}

export interface SslSettingsUpdate {
  webServerCertificateAlias?: string;
  sslProtocols?: string[];
  cipherSuites?: string[];
  HSTSEnabled?: boolean;
  httpsRequiredPaths?: string[];
  /** Use the certificate even though the portal found it unsuitable (the administrator confirmed). */
  force?: boolean;
}

export function updateSslSettings(update: SslSettingsUpdate): Promise<{ status: string }> {
  return request(`${SSL}/update`, {
    method: 'POST',
    form: {
      webServerCertificateAlias: update.webServerCertificateAlias,
      sslProtocols: update.sslProtocols?.join(','),
      cipherSuites: update.cipherSuites?.join(','),
      HSTSEnabled: update.HSTSEnabled,
      httpsRequiredPaths: update.httpsRequiredPaths?.join(','),
      force: update.force || undefined,
    },
  });
}

export type TrustedCertificate = TrustEntryJson;

export async function getTrustStore(): Promise<TrustedCertificate[]> {
  const a = await request<{ certificates?: TrustedCertificate[] }>(TRUST);
  return a.certificates ?? [];
}

export function importTrustedCertificate(
  alias: string,
  source: CertificateSource,
): Promise<{ status: string; aliases?: string[] }> {
  const { form, files } = sourceFields(source);
  return request(`${SSL}/importRootOrIntermediate`, {
    method: 'POST',
    form: { alias, ...form },
    files,
  });
}

export function deleteTrustedCertificate(alias: string): Promise<{ status: string }> {
  return request(`${TRUST}/${enc(alias)}/delete`, { method: 'POST', form: {} });
}

export type PresentedCertificate = PresentedCertificateJson;

export type SuggestedTrust = NonNullable<DiagnosisJson['suggestedTrust']>;

/** What the UI shows of a diagnosis. */
export type Diagnosis = Pick<
  DiagnosisJson,
  'ok' | 'code' | 'message' | 'fix' | 'host' | 'port' | 'presentedChain' | 'suggestedTrust'
>;

function diagnosisOf(a: Partial<Diagnosis>): Diagnosis {
  return {
    ok: a.ok === true,
    code: a.code ?? '',
    message: a.message ?? '',
    fix: a.fix ?? '',
    host: a.host ?? '',
    port: a.port ?? 0,
    presentedChain: a.presentedChain ?? [],
    suggestedTrust: a.suggestedTrust,
  };
}

export async function diagnose(url: string): Promise<Diagnosis> {
  return diagnosisOf(await request<Partial<Diagnosis>>('/portaladmin/security/diagnose', { query: { url } }));
}

export async function trustDiagnosed(
  url: string,
  sha256Fingerprint: string,
  alias: string,
): Promise<{ alias: string; diagnosis: Diagnosis }> {
  const a = await request<{ alias?: string; diagnosis?: Partial<Diagnosis> }>(
    '/portaladmin/security/diagnose/trust',
    { method: 'POST', form: { url, sha256Fingerprint, alias: alias || undefined } },
  );
  return { alias: a.alias ?? alias, diagnosis: diagnosisOf(a.diagnosis ?? {}) };
}

export type HealthWarning = HealthJson['warnings'][number];

export async function getHealth(): Promise<{ status: string; warnings: HealthWarning[] }> {
  try {
    const a = await request<{ status?: string; warnings?: HealthWarning[] }>('/portaladmin/healthCheck');
    return { status: a.status ?? 'ok', warnings: a.warnings ?? [] };
  } catch (err) {
    // A served certificate expired (or not yet valid) is an error answer that still lists every finding.
    if (err instanceof ApiError && Array.isArray(err.data.warnings))
      return { status: 'error', warnings: err.data.warnings as HealthWarning[] };
    throw err;
  }
}
