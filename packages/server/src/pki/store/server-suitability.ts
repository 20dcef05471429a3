import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { describeCertificate } from '../describe-certificate.ts';
import type { CertificateAssignments } from '../usage.ts';
import { checkKeyUsage } from '../verify/check-key-usage.ts';
import { UnsuitableServerCertificate } from './errors.ts';

/** A certificate about to be served, and for which name. */
export interface ServerAssignment {
  alias: string;
  /** The name clients connect with: the hostname setting, or the SNI host name (may be *.domain). */
  host: string;
  sni: boolean;
}

export interface UnsuitableAssignment extends ServerAssignment {
  reasons: string[];
}

/** Does the certificate cover `host`? For a wildcard SNI entry, every name under it. */
function covers(cert: X509Certificate, host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(h)) return cert.checkIP(h) !== undefined;
  // A name under the wildcard that no certificate names on purpose: only a wildcard covers it.
  const probe = h.startsWith('*.') ? `meridian-sni-probe${h.slice(1)}` : h;
  // Browsers ignore the subject's CN: only the subject alternative names count.
  return cert.checkHost(probe, { subject: 'never' }) !== undefined;
}

/** Every reason why `certPem` cannot serve `host` on this portal's listener at `now`. */
export function serverCertificateReasons(
  certPem: string,
  a: Omit<ServerAssignment, 'alias'>,
  now = Date.now(),
): string[] {
  const cert = new X509Certificate(certPem);
  const d = describeCertificate(cert);
  const reasons: string[] = [];
  if (!covers(cert, a.host)) {
    const names = [...d.dnsNames, ...d.ipAddresses];
    reasons.push(
      `it is issued for ${names.length ? names.join(', ') : `no subject alternative name (subject ${d.subject})`}, not for ${a.host} (${a.sni ? 'the SNI host name' : "the portal's hostname setting"})`,
    );
  }
  if (now > d.validUntil) reasons.push(`it expired on ${new Date(d.validUntil).toISOString()}`);
  else if (now < d.validFrom) reasons.push(`it is not valid before ${new Date(d.validFrom).toISOString()}`);
  for (const f of checkKeyUsage(cert, { rsaKeyExchange: false })) reasons.push(f.message.replace(/\.$/, ''));
  return reasons;
}

/** The certificates a change of the HTTPS settings starts serving: a new web alias, new or changed SNI entries. */
export function newAssignments(
  hostname: string,
  current: CertificateAssignments,
  changes: Partial<CertificateAssignments>,
): ServerAssignment[] {
  const out: ServerAssignment[] = [];
  const web = changes.webServerCertificateAlias;
  if (web !== undefined && web !== current.webServerCertificateAlias)
    out.push({ alias: web, host: hostname, sni: false });
  for (const [host, alias] of Object.entries(changes.sniCertificates ?? {}))
    if (current.sniCertificates[host] !== alias) out.push({ alias, host, sni: true });
  return out;
}

/** Every role `alias` serves under `settings` (for a certificate replaced in place). */
export function assignmentsOf(
  alias: string,
  hostname: string,
  settings: CertificateAssignments,
): ServerAssignment[] {
  return [
    ...(settings.webServerCertificateAlias === alias ? [{ alias, host: hostname, sni: false }] : []),
    ...Object.entries(settings.sniCertificates)
      .filter(([, a]) => a === alias)
      .map(([host]) => ({ alias, host, sni: true })),
  ];
}

async function certificatePem(ctx: Pick<Kernel, 'db'>, alias: string): Promise<string | undefined> {
  const row = await ctx.db.kysely
    .selectFrom('pki_certificates')
    .select('cert_pem')
    .where('alias', '=', alias)
    .executeTakeFirst();
  return row?.cert_pem;
}

function role(a: ServerAssignment): string {
  return a.sni ? `the certificate for ${a.host} (SNI)` : 'the web server certificate';
}

/**
 * Refuses to serve a certificate that would break HTTPS for its clients, listing every reason
 * of every certificate at once; with `force`, returns those reasons as warnings instead.
 * Aliases not in the store are left to the settings validation (tls.setting_invalid).
 */
export async function checkServerAssignments(
  ctx: Pick<Kernel, 'db'>,
  assignments: readonly ServerAssignment[],
  opts: { force?: boolean; certPem?: (alias: string) => string | undefined; now?: number } = {},
): Promise<string[]> {
  const unsuitable: UnsuitableAssignment[] = [];
  for (const a of assignments) {
    const pem = opts.certPem?.(a.alias) ?? (await certificatePem(ctx, a.alias));
    if (!pem) continue;
    const reasons = serverCertificateReasons(pem, a, opts.now);
    if (reasons.length) unsuitable.push({ ...a, reasons });
  }
  const sentences = unsuitable.map(
    (u) => `The certificate '${u.alias}' cannot be ${role(u)}: ${u.reasons.join('; ')}.`,
  );
  if (unsuitable.length === 0 || opts.force) return sentences;
  throw new MeridianError(
    UnsuitableServerCertificate,
    `${sentences.join(' ')} ${UnsuitableServerCertificate.fix}`,
    { data: { unsuitable } },
  );
}
