import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { type CertificateDetails, describeCertificate } from '../describe-certificate.ts';
import { parseCertificates } from '../parse-certificates.ts';
import type { PkiCertificatesTable } from '../tables.ts';
import type { CertificateAssignments, CertificateUsage } from '../usage.ts';
import { CertAliasNotFound } from './errors.ts';

type Ctx = Pick<Kernel, 'db' | 'config'> & { usage: CertificateUsage };

export interface CertificateSummary {
  alias: string;
  subject: string;
  issuer: string;
  validFrom: number;
  validUntil: number;
  expiryState: CertificateDetails['expiry']['state'];
  daysLeft: number;
  hasPrivateKey: boolean;
  issuedByLocalCa: boolean;
  inUse: boolean;
}

export interface CertificateView extends CertificateSummary {
  subjectAlternativeNames: string[];
  keyAlgorithm: string;
  keySize: number | undefined;
  serialNumber: string;
  sha1Fingerprint: string;
  sha256Fingerprint: string;
  /** The issuers, the leaf's issuer first. */
  chain: { subject: string; issuer: string; sha256Fingerprint: string; validUntil: number }[];
}

/** The answer of GET portaladmin/security/sslCertificates (ArcGIS fields, then Meridian's). */
export interface CertificateList {
  sslCertificates: string[];
  webServerCertificateAlias: string;
  sslProtocols: string[];
  cipherSuites: string[];
  HSTSEnabled: boolean;
  sniCertificates: Record<string, string>;
  httpsRequiredPaths: string[];
  certificates: CertificateSummary[];
}

/** Aliases the listener serves: the web server certificate and every SNI certificate. */
export function aliasesInUse(settings: CertificateAssignments): Set<string> {
  return new Set([settings.webServerCertificateAlias, ...Object.values(settings.sniCertificates)]);
}

type Row = Pick<
  PkiCertificatesTable,
  'alias' | 'cert_pem' | 'chain_pem' | 'key_sealed' | 'issued_by_local_ca'
>;

/**
 * Days before expiry from which a certificate counts as 'expiring'. A portal-CA certificate the
 * listener serves renews itself (tls/web-tls.ts) within min(tls.renewBeforeDays,
 * tls.serverCertDays / 2) days of expiry: it is 'expiring' only once that renewal is overdue.
 */
function warningWindow(row: Row, inUse: Set<string>, config: Ctx['config']): number {
  const days = config.tls.expiryWarningDays;
  if (row.issued_by_local_ca !== 1 || !inUse.has(row.alias)) return days;
  const renewal = Math.min(config.tls.renewBeforeDays, config.tls.serverCertDays / 2);
  return Math.max(0, Math.min(days, renewal - 1));
}

function view(row: Row, inUse: Set<string>, config: Ctx['config']): CertificateView {
  const d = describeCertificate(row.cert_pem, { expiringWithinDays: warningWindow(row, inUse, config) });
  const chain = row.chain_pem.trim()
    ? parseCertificates(row.chain_pem).map((c) => describeCertificate(c))
    : [];
  return {
    alias: row.alias,
    subject: d.subject,
    issuer: d.issuer,
    validFrom: d.validFrom,
    validUntil: d.validUntil,
    expiryState: d.expiry.state,
    daysLeft: d.expiry.daysLeft,
    hasPrivateKey: Boolean(row.key_sealed),
    issuedByLocalCa: row.issued_by_local_ca === 1,
    inUse: inUse.has(row.alias),
    subjectAlternativeNames: d.subjectAlternativeNames,
    keyAlgorithm: d.keyAlgorithm,
    keySize: d.keySize,
    serialNumber: d.serialNumber,
    sha1Fingerprint: d.sha1Fingerprint,
    sha256Fingerprint: d.sha256Fingerprint,
    chain: chain.map((c) => ({
      subject: c.subject,
      issuer: c.issuer,
      sha256Fingerprint: c.sha256Fingerprint,
      validUntil: c.validUntil,
    })),
  };
}

const COLUMNS = ['alias', 'cert_pem', 'chain_pem', 'key_sealed', 'issued_by_local_ca'] as const;

export async function listCertificates(ctx: Ctx): Promise<CertificateList> {
  const settings = await ctx.usage.assignments();
  const inUse = aliasesInUse(settings);
  const rows = await ctx.db.kysely.selectFrom('pki_certificates').select(COLUMNS).orderBy('alias').execute();
  const certificates = rows.map((r) => {
    const {
      subjectAlternativeNames: _a,
      keyAlgorithm: _b,
      keySize: _c,
      serialNumber: _d,
      sha1Fingerprint: _e,
      sha256Fingerprint: _f,
      chain: _g,
      ...summary
    } = view(r, inUse, ctx.config);
    return summary;
  });
  return {
    sslCertificates: rows.map((r) => r.alias),
    webServerCertificateAlias: settings.webServerCertificateAlias,
    sslProtocols: settings.sslProtocols,
    cipherSuites: settings.cipherSuites,
    HSTSEnabled: settings.HSTSEnabled,
    sniCertificates: settings.sniCertificates,
    httpsRequiredPaths: settings.httpsRequiredPaths,
    certificates,
  };
}

export async function getCertificate(ctx: Ctx, alias: string): Promise<CertificateView> {
  const row = await ctx.db.kysely
    .selectFrom('pki_certificates')
    .select(COLUMNS)
    .where('alias', '=', alias)
    .executeTakeFirst();
  if (!row) throw notFound(alias);
  return view(row, aliasesInUse(await ctx.usage.assignments()), ctx.config);
}

export function notFound(alias: string): MeridianError {
  return new MeridianError(
    CertAliasNotFound,
    `The certificate store has no certificate with alias '${alias}'.`,
  );
}
