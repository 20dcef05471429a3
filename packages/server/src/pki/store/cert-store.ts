import { rootCertificates } from 'node:tls';
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import { describeCertificate } from '../describe-certificate.ts';
import { NoPrivateKey } from '../errors.ts';
import { type ExportedCertificate, type ExportFormat, exportCertificate } from '../export-certificate.ts';
import { checkAlias, type GeneratedCertificate, generateCertificate } from '../generate-certificate.ts';
import { generateCsr } from '../generate-csr.ts';
import { importKeyAndCertificate } from '../import-pkcs12.ts';
import { importSignedCertificate } from '../import-signed-certificate.ts';
import type { KeyAlgorithm } from '../keys.ts';
import { certKeyContext, ensureLocalCa } from '../local-ca-store.ts';
import type { SubjectFields } from '../subject.ts';
import { CERTIFICATE_TOPIC } from '../topics.ts';
import type { CertificateUsage } from '../usage.ts';
import { x509 } from '../x509-provider.ts';
import { aliasesInUse, notFound } from './cert-views.ts';
import { CertAliasExists, CertAliasInUse, CertAliasNotFound } from './errors.ts';
import { assignmentsOf, checkServerAssignments } from './server-suitability.ts';
import { trustStorePems } from './trust-store.ts';

type Ctx = Pick<Kernel, 'db' | 'box' | 'bus' | 'config'> & { usage: CertificateUsage };

/** What an administrator fills in to generate a key and certificate (ArcGIS generateCertificate). */
export interface GenerateInput extends SubjectFields {
  alias: string;
  san?: string[];
  keyAlg?: KeyAlgorithm;
  keySize?: number;
  validityDays?: number;
  /** 'portalCA' (default): issued by the portal's root CA; 'self': self-signed. */
  signedBy?: 'self' | 'portalCA';
}

async function exists(db: Kysely<Database>, alias: string): Promise<boolean> {
  return Boolean(
    await db.selectFrom('pki_certificates').select('alias').where('alias', '=', alias).executeTakeFirst(),
  );
}

function refuseExisting(alias: string): MeridianError {
  return new MeridianError(
    CertAliasExists,
    `The certificate store already has a certificate with alias '${alias}': choose another alias (to replace a certificate in use, switch to the new alias with update, then delete the old one).`,
  );
}

/** Tells every node to reload its certificates when `alias` is served by the listener. */
async function announceIfInUse(ctx: Ctx, alias: string): Promise<boolean> {
  if (!aliasesInUse(await ctx.usage.assignments()).has(alias)) return false;
  await ctx.bus.publish(CERTIFICATE_TOPIC, { alias });
  return true;
}

/** The anchors a chain is completed with: the trust store, and the public roots when trusted. */
async function chainAnchors(ctx: Ctx): Promise<string[]> {
  const own = await trustStorePems(ctx);
  return ctx.config.outbound.trustPublicRoots ? [...own, ...rootCertificates] : own;
}

function names(details: GeneratedCertificate['details']): string[] {
  return [...details.dnsNames, ...details.ipAddresses];
}

async function insertNew(
  ctx: Ctx,
  alias: string,
  v: { keyPem: string; certPem: string; chainPem: string; issuedByLocalCa: boolean },
): Promise<void> {
  const d = describeCertificate(v.certPem);
  const now = Date.now();
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (await exists(trx, alias)) throw refuseExisting(alias);
    await trx
      .insertInto('pki_certificates')
      .values({
        alias,
        cert_pem: v.certPem,
        chain_pem: v.chainPem,
        key_sealed: ctx.box.seal(v.keyPem, certKeyContext(alias)),
        issued_by_local_ca: v.issuedByLocalCa ? 1 : 0,
        names: JSON.stringify([...d.dnsNames, ...d.ipAddresses]),
        not_after: d.validUntil,
        created: now,
        modified: now,
      })
      .execute();
  });
}

/** Generates a key and a certificate (issued by the portal CA, or self-signed) under a new alias. */
export async function generateStoredCertificate(
  ctx: Ctx,
  input: GenerateInput,
): Promise<GeneratedCertificate> {
  checkAlias(input.alias);
  if (await exists(ctx.db.kysely, input.alias)) throw refuseExisting(input.alias);
  const byCa = (input.signedBy ?? 'portalCA') === 'portalCA';
  const generated = await generateCertificate({
    ...input,
    ...(byCa ? { issuer: await ensureLocalCa(ctx) } : {}),
  });
  await insertNew(ctx, input.alias, {
    keyPem: generated.keyPem,
    certPem: generated.certPem,
    chainPem: generated.chainPem,
    issuedByLocalCa: byCa && names(generated.details).length > 0,
  });
  return generated;
}

async function storedKey(
  ctx: Ctx,
  alias: string,
): Promise<{ keyPem: string; certPem: string; keySealed: string }> {
  const row = await ctx.db.kysely
    .selectFrom('pki_certificates')
    .select(['cert_pem', 'key_sealed'])
    .where('alias', '=', alias)
    .executeTakeFirst();
  if (!row) throw notFound(alias);
  if (!row.key_sealed)
    throw new MeridianError(NoPrivateKey, `The certificate '${alias}' has no private key in the store.`);
  return {
    keyPem: ctx.box.openText(row.key_sealed, certKeyContext(alias)),
    certPem: row.cert_pem,
    keySealed: row.key_sealed,
  };
}

/** The subject fields and names of a stored certificate, to repeat them in a CSR. */
function subjectOfCertificate(certPem: string): SubjectFields & { san: string[] } {
  const p = new x509.X509Certificate(certPem);
  const field = (t: string) => p.subjectName.getField(t)[0];
  const d = describeCertificate(certPem);
  return {
    cn: field('CN') ?? d.dnsNames[0] ?? d.subject,
    org: field('O'),
    orgUnit: field('OU'),
    city: field('L'),
    state: field('ST'),
    country: field('C'),
    san: [...d.dnsNames, ...d.ipAddresses],
  };
}

/**
 * A PKCS#10 request for the key of `alias`, to send to a CA. For an alias that does not exist
 * yet, `fields` (cn at least) make a new key, stored with a self-signed placeholder certificate
 * until the CA's reply is imported (as keytool does).
 */
export async function generateStoredCsr(
  ctx: Ctx,
  alias: string,
  fields?: Omit<GenerateInput, 'alias' | 'signedBy'>,
): Promise<string> {
  checkAlias(alias);
  if (!(await exists(ctx.db.kysely, alias))) {
    if (!fields?.cn)
      throw new MeridianError(
        CertAliasNotFound,
        `The certificate store has no alias '${alias}': give cn (and optionally org, orgUnit, city, state, country, san, keyAlg, keySize) to create its key, or generate the certificate first.`,
      );
    await generateStoredCertificate(ctx, { ...fields, alias, signedBy: 'self' });
  }
  const stored = await storedKey(ctx, alias);
  const subject = fields?.cn ? { ...fields, san: fields.san ?? [] } : subjectOfCertificate(stored.certPem);
  return generateCsr({ ...subject, keyPem: stored.keyPem });
}

export interface ImportSignedResult {
  alias: string;
  chainComplete: boolean;
  warnings: string[];
  inUse: boolean;
}

/**
 * Installs the CA's reply to a CSR for `alias`: same key, new certificate and chain; live if in
 * use. For an alias being served, the new certificate must fit what it serves (see
 * server-suitability.ts) unless `force`.
 */
export async function importSignedReply(
  ctx: Ctx,
  alias: string,
  reply: string | Uint8Array,
  opts: { allowIncompleteChain?: boolean; force?: boolean } = {},
): Promise<ImportSignedResult> {
  const stored = await storedKey(ctx, alias);
  const ca = await ensureLocalCa(ctx);
  const result = importSignedCertificate({
    alias,
    keyPem: stored.keyPem,
    reply,
    trustAnchors: await chainAnchors(ctx),
    allowIncompleteChain: opts.allowIncompleteChain ?? false,
  });
  const served = assignmentsOf(alias, ctx.config.hostname, await ctx.usage.assignments());
  const forced = await checkServerAssignments(ctx, served, {
    force: opts.force,
    certPem: () => result.certPem,
  });
  const leaf = result.chain[0]!;
  const caFp = describeCertificate(ca.certPem).sha256Fingerprint;
  const byLocalCa = result.chain[1]?.sha256Fingerprint === caFp;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('pki_certificates')
      .set({
        cert_pem: result.certPem,
        chain_pem: result.chainPem,
        issued_by_local_ca: byLocalCa ? 1 : 0,
        names: JSON.stringify([...leaf.dnsNames, ...leaf.ipAddresses]),
        not_after: leaf.validUntil,
        modified: Date.now(),
      })
      // The key must still be the one the reply was checked against.
      .where('alias', '=', alias)
      .where('key_sealed', '=', stored.keySealed)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1)
      throw new MeridianError(
        CertAliasNotFound,
        `The key of alias '${alias}' changed or was deleted while the reply was imported: nothing was changed. Generate a new CSR.`,
      );
  });
  const inUse = await announceIfInUse(ctx, alias);
  return { alias, chainComplete: result.chainComplete, warnings: [...result.warnings, ...forced], inUse };
}

/** Imports a key with its certificate (PKCS#12 .pfx/.p12, or PEM key + chain) under a new alias. */
export async function importExistingCertificate(
  ctx: Ctx,
  alias: string,
  data: string | Uint8Array,
  password: string | undefined,
  opts: { allowIncompleteChain?: boolean } = {},
): Promise<{ alias: string; chainComplete: boolean; warnings: string[] }> {
  checkAlias(alias);
  if (await exists(ctx.db.kysely, alias)) throw refuseExisting(alias);
  const imported = importKeyAndCertificate(data, password, {
    trustAnchors: await chainAnchors(ctx),
    allowIncompleteChain: opts.allowIncompleteChain ?? false,
  });
  const ca = await ensureLocalCa(ctx);
  const caFp = describeCertificate(ca.certPem).sha256Fingerprint;
  await insertNew(ctx, alias, {
    keyPem: imported.keyPem,
    certPem: imported.certPem,
    chainPem: imported.chainPem,
    issuedByLocalCa: imported.chain[1]?.sha256Fingerprint === caFp,
  });
  return { alias, chainComplete: imported.chainComplete, warnings: imported.warnings };
}

/** The certificate as a file (DER .cer or PEM); never the key. */
export async function exportStoredCertificate(
  ctx: Pick<Kernel, 'db'>,
  alias: string,
  format: ExportFormat,
  includeChain = false,
): Promise<ExportedCertificate> {
  const row = await ctx.db.kysely
    .selectFrom('pki_certificates')
    .select(['cert_pem', 'chain_pem'])
    .where('alias', '=', alias)
    .executeTakeFirst();
  if (!row) throw notFound(alias);
  const pems = includeChain && row.chain_pem.trim() ? [row.cert_pem, row.chain_pem] : [row.cert_pem];
  return exportCertificate(pems, format, { name: alias, includeChain });
}

/** Deletes a certificate and its key; refused for one the listener serves. */
export async function deleteStoredCertificate(ctx: Ctx, alias: string): Promise<void> {
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const settings = await ctx.usage.assignments(trx);
    if (aliasesInUse(settings).has(alias)) {
      const where =
        settings.webServerCertificateAlias === alias
          ? 'the web server certificate'
          : `the SNI certificate of ${Object.entries(settings.sniCertificates)
              .filter(([, a]) => a === alias)
              .map(([h]) => h)
              .join(', ')}`;
      throw new MeridianError(
        CertAliasInUse,
        `The certificate '${alias}' is ${where}: switch to another certificate with update first, then delete it.`,
      );
    }
    const res = await trx.deleteFrom('pki_certificates').where('alias', '=', alias).executeTakeFirst();
    if (Number(res.numDeletedRows) === 0) throw notFound(alias);
  });
}
