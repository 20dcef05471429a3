import type { X509Certificate } from 'node:crypto';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { type CertificateDetails, describeCertificate } from '../describe-certificate.ts';
import { checkAlias } from '../generate-certificate.ts';
import { certificatesToPem, parseCertificates } from '../parse-certificates.ts';
/** Every node drops its cached trust anchors on this topic. */
import { TRUST_STORE_TOPIC } from '../topics.ts';
import { TrustAliasExists, TrustAliasNotFound, TrustBuiltIn } from './errors.ts';

/** The portal's own root CA, listed first and always trusted (partner portals of the same installation). */
export const PORTAL_CA_ALIAS = 'portal-root-ca';

/** Aliases that would shadow a route (trustStore/export-ca) or the built-in entry. */
const RESERVED = new Set([PORTAL_CA_ALIAS, 'export-ca']);

type Ctx = Pick<Kernel, 'db' | 'config'>;
type WriteCtx = Pick<Kernel, 'db' | 'bus' | 'config'>;

export interface TrustEntry {
  alias: string;
  subject: string;
  issuer: string;
  sha256Fingerprint: string;
  validFrom: number;
  validUntil: number;
  expiryState: CertificateDetails['expiry']['state'];
  daysLeft: number;
  isCA: boolean;
  builtIn: boolean;
}

export interface TrustEntryDetails extends TrustEntry {
  subjectAlternativeNames: string[];
  keyAlgorithm: string;
  keySize: number | undefined;
  serialNumber: string;
  sha1Fingerprint: string;
  selfSigned: boolean;
}

interface StoredEntry {
  alias: string;
  certPem: string;
  builtIn: boolean;
}

async function portalCaPem(ctx: Pick<Kernel, 'db'>): Promise<string | undefined> {
  const row = await ctx.db.kysely
    .selectFrom('pki_local_ca')
    .select('cert_pem')
    .where('id', '=', 'root')
    .executeTakeFirst();
  return row?.cert_pem;
}

async function storedEntries(ctx: Pick<Kernel, 'db'>): Promise<StoredEntry[]> {
  const rows = await ctx.db.kysely
    .selectFrom('pki_trust_store')
    .select(['alias', 'cert_pem'])
    .orderBy('alias')
    .execute();
  const ca = await portalCaPem(ctx);
  return [
    ...(ca ? [{ alias: PORTAL_CA_ALIAS, certPem: ca, builtIn: true }] : []),
    ...rows.map((r) => ({ alias: r.alias, certPem: r.cert_pem, builtIn: false })),
  ];
}

/** Every trusted certificate as PEM: the portal's root CA, then the administrator's entries. */
export async function trustStorePems(ctx: Pick<Kernel, 'db'>): Promise<string[]> {
  return (await storedEntries(ctx)).map((e) => e.certPem);
}

function entryOf(e: StoredEntry, windowDays: number): TrustEntryDetails {
  const d = describeCertificate(e.certPem, { expiringWithinDays: windowDays });
  return {
    alias: e.alias,
    subject: d.subject,
    issuer: d.issuer,
    sha256Fingerprint: d.sha256Fingerprint,
    validFrom: d.validFrom,
    validUntil: d.validUntil,
    expiryState: d.expiry.state,
    daysLeft: d.expiry.daysLeft,
    isCA: d.isCA,
    builtIn: e.builtIn,
    subjectAlternativeNames: d.subjectAlternativeNames,
    keyAlgorithm: d.keyAlgorithm,
    keySize: d.keySize,
    serialNumber: d.serialNumber,
    sha1Fingerprint: d.sha1Fingerprint,
    selfSigned: d.selfSigned,
  };
}

export async function listTrustStore(ctx: Ctx): Promise<TrustEntry[]> {
  return (await storedEntries(ctx)).map((e) => {
    const {
      subjectAlternativeNames: _s,
      keyAlgorithm: _k,
      keySize: _z,
      serialNumber: _n,
      sha1Fingerprint: _f,
      selfSigned: _x,
      ...summary
    } = entryOf(e, ctx.config.tls.expiryWarningDays);
    return summary;
  });
}

export async function getTrustEntry(ctx: Ctx, alias: string): Promise<TrustEntryDetails> {
  const e = (await storedEntries(ctx)).find((x) => x.alias === alias);
  if (!e)
    throw new MeridianError(TrustAliasNotFound, `The trust store has no certificate with alias '${alias}'.`);
  return entryOf(e, ctx.config.tls.expiryWarningDays);
}

function checkTrustAlias(alias: string): void {
  checkAlias(alias);
  if (RESERVED.has(alias.toLowerCase()))
    throw new MeridianError(
      TrustBuiltIn,
      `The alias '${alias}' is reserved (the portal's own root CA is '${PORTAL_CA_ALIAS}'): choose another alias.`,
    );
}

export interface TrustImport {
  /** The alias of each certificate of the file, in order (an existing alias when it was already trusted). */
  aliases: string[];
  /** What the administrator should know: a certificate already trusted, a server certificate that pins one server. */
  notes: string[];
}

function pinNote(name: string, cert: X509Certificate): string {
  const d = describeCertificate(cert);
  const names = [...d.dnsNames, ...d.ipAddresses];
  return `'${name}' (${d.subject}) is not a certificate authority but a server's own certificate: it pins that one server${names.length ? ` (${names.join(', ')})` : ''}. The portal trusts exactly this certificate, not others from the same issuer, and stops trusting the server when it renews its certificate; to trust every certificate of its CA, import the CA certificate instead.`;
}

/**
 * Imports the certificates of a PEM/DER/PKCS#7 file or bundle: the first under `alias`, the
 * others as alias-2, alias-3 … A certificate already trusted is not stored twice (its alias is
 * returned, and a note says so). All or nothing: one transaction; every node is told after the
 * commit.
 */
export async function importTrustedCertificates(
  ctx: WriteCtx,
  alias: string,
  data: string | Uint8Array,
): Promise<TrustImport> {
  checkTrustAlias(alias);
  const certs = dedupe(parseCertificates(data));
  const caPem = await portalCaPem(ctx);
  const caFp = caPem ? describeCertificate(caPem).sha256Fingerprint : undefined;
  const now = Date.now();
  const notes: string[] = [];
  const aliases = await ctx.db.kysely.transaction().execute(async (trx) => {
    const out: string[] = [];
    for (const [i, cert] of certs.entries()) {
      const fp = cert.fingerprint256;
      const name = i === 0 ? alias : `${alias}-${i + 1}`;
      const subject = describeCertificate(cert).subject;
      if (fp === caFp) {
        notes.push(
          `${subject} is this portal's own root CA, always trusted as '${PORTAL_CA_ALIAS}': nothing was added for it.`,
        );
        out.push(PORTAL_CA_ALIAS);
        continue;
      }
      const same = await trx
        .selectFrom('pki_trust_store')
        .select('alias')
        .where('sha256', '=', fp)
        .executeTakeFirst();
      if (same) {
        notes.push(
          same.alias === name
            ? `${subject} is already trusted as '${same.alias}': nothing was changed.`
            : `${subject} is already trusted under another alias, '${same.alias}': it was not added again as '${name}'.`,
        );
        out.push(same.alias);
        continue;
      }
      checkAlias(name);
      const taken = await trx
        .selectFrom('pki_trust_store')
        .select('alias')
        .where('alias', '=', name)
        .executeTakeFirst();
      if (taken)
        throw new MeridianError(
          TrustAliasExists,
          `The trust store already has a different certificate with alias '${name}': choose another alias or remove that entry first.`,
        );
      const d = describeCertificate(cert);
      await trx
        .insertInto('pki_trust_store')
        .values({
          alias: name,
          cert_pem: certificatesToPem([cert]),
          sha256: fp,
          subject: d.subject,
          not_after: d.validUntil,
          created: now,
        })
        .execute();
      if (!d.isCA) notes.push(pinNote(name, cert));
      out.push(name);
    }
    return out;
  });
  await ctx.bus.publish(TRUST_STORE_TOPIC, { aliases });
  return { aliases, notes };
}

function dedupe(certs: X509Certificate[]): X509Certificate[] {
  const seen = new Set<string>();
  return certs.filter((c) => !seen.has(c.fingerprint256) && seen.add(c.fingerprint256));
}

export async function removeTrusted(ctx: WriteCtx, alias: string): Promise<void> {
  if (alias === PORTAL_CA_ALIAS)
    throw new MeridianError(
      TrustBuiltIn,
      `'${PORTAL_CA_ALIAS}' is the portal's own root CA: it is always trusted.`,
    );
  const res = await ctx.db.kysely.deleteFrom('pki_trust_store').where('alias', '=', alias).executeTakeFirst();
  if (Number(res.numDeletedRows) === 0)
    throw new MeridianError(TrustAliasNotFound, `The trust store has no certificate with alias '${alias}'.`);
  await ctx.bus.publish(TRUST_STORE_TOPIC, { removed: alias });
}

/** A free alias derived from a subject ("CN=Partner Portal CA, O=…" → "partner-portal-ca"). */
export async function aliasFor(ctx: Pick<Kernel, 'db'>, subject: string): Promise<string> {
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
  const base =
    cn
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+|-+$/g, '')
      .slice(0, 80) || 'trusted';
  const safe = RESERVED.has(base) ? `${base}-1` : base;
  for (let i = 1; ; i++) {
    const name = i === 1 ? safe : `${safe}-${i}`;
    const taken = await ctx.db.kysely
      .selectFrom('pki_trust_store')
      .select('alias')
      .where('alias', '=', name)
      .executeTakeFirst();
    if (!taken) return name;
  }
}
