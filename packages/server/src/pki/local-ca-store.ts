import { randomBytes, X509Certificate } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';
import { createRootCa, defaultServerNames, issueServerCertificate, type KeyAndCert } from './local-ca.ts';

const CA_ID = 'root';
const KEY_CONTEXT = 'pki.local_ca';
export const DEFAULT_WEB_ALIAS = 'portal';

type Ctx = Pick<Kernel, 'db' | 'box' | 'config'> & {
  /** Whose CA it is, in its name ('Portal', 'GIS Server'): the role that composes pki says. */
  readonly caRole?: string | undefined;
};

/**
 * A new local CA's name: its role and host, and a short random id of the installation, so that
 * a portal's and a GIS server's CAs on one host (or two servers') are told apart where a
 * diagnosis names an issuer: "Meridian GIS Server CA maps.example.com 3f9a0c".
 */
export function localCaName(role: string | undefined, hostname: string): string {
  return `Meridian ${role ? `${role} ` : ''}CA ${hostname} ${randomBytes(3).toString('hex')}`;
}

/** The node's root CA, created on first start (a CA made before keeps its name); its private key is sealed at rest. */
export async function ensureLocalCa(ctx: Ctx): Promise<KeyAndCert> {
  const row = await ctx.db.kysely
    .selectFrom('pki_local_ca')
    .selectAll()
    .where('id', '=', CA_ID)
    .executeTakeFirst();
  if (row) return { certPem: row.cert_pem, keyPem: ctx.box.openText(row.key_sealed, KEY_CONTEXT) };
  const ca = await createRootCa(localCaName(ctx.caRole, ctx.config.hostname));
  await ctx.db.kysely
    .insertInto('pki_local_ca')
    .values({
      id: CA_ID,
      cert_pem: ca.certPem,
      key_sealed: ctx.box.seal(ca.keyPem, KEY_CONTEXT),
      created: Date.now(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  // Another node may have won the race: read back what is stored.
  return ensureLocalCa(ctx);
}

export async function localCaCertPem(ctx: Ctx): Promise<string> {
  return (await ensureLocalCa(ctx)).certPem;
}

export interface WebCertificate {
  alias: string;
  keyPem: string;
  /** Leaf followed by its chain, PEM. */
  certChainPem: string;
  notAfter: number;
  issuedByLocalCa: boolean;
  /** The names it was issued for (for re-issuing). */
  names: string[];
}

export const certKeyContext = (alias: string) => `pki.cert.${alias}`;

export async function loadCertificate(ctx: Ctx, alias: string): Promise<WebCertificate | undefined> {
  const row = await ctx.db.kysely
    .selectFrom('pki_certificates')
    .selectAll()
    .where('alias', '=', alias)
    .executeTakeFirst();
  if (!row?.key_sealed) return undefined;
  return {
    alias,
    keyPem: ctx.box.openText(row.key_sealed, certKeyContext(alias)),
    certChainPem: row.cert_pem + row.chain_pem,
    notAfter: row.not_after,
    issuedByLocalCa: row.issued_by_local_ca === 1,
    names: JSON.parse(row.names) as string[],
  };
}

/**
 * The certificate stored under `alias`, issued from the local CA first if there is none. Nodes
 * starting together on a fresh database each issue one, but only the first insert is kept and
 * every node returns the stored one, so they all serve the same certificate.
 */
export async function firstFromLocalCa(ctx: Ctx, alias: string, names: string[]): Promise<WebCertificate> {
  const stored = await loadCertificate(ctx, alias);
  if (stored) return stored;
  await issueFromLocalCa(ctx, alias, names, { keepStored: true });
  const kept = await loadCertificate(ctx, alias);
  if (!kept) throw new Error(`certificate '${alias}' was stored but cannot be read back`);
  return kept;
}

/** Issues (or re-issues) a certificate from the local CA and stores it under `alias`. */
export async function issueFromLocalCa(
  ctx: Ctx,
  alias: string,
  names: string[],
  opts: { keepStored?: boolean } = {},
): Promise<WebCertificate> {
  const ca = await ensureLocalCa(ctx);
  const issued = await issueServerCertificate(ca, names, ctx.config.tls.serverCertDays);
  const notAfter = new Date(new X509Certificate(issued.certPem).validTo).getTime();
  const now = Date.now();
  const values = {
    cert_pem: issued.certPem,
    chain_pem: ca.certPem,
    key_sealed: ctx.box.seal(issued.keyPem, certKeyContext(alias)),
    issued_by_local_ca: 1,
    names: JSON.stringify(names),
    not_after: notAfter,
    modified: now,
  };
  await ctx.db.kysely
    .insertInto('pki_certificates')
    .values({ alias, created: now, ...values })
    .onConflict((oc) =>
      opts.keepStored ? oc.column('alias').doNothing() : oc.column('alias').doUpdateSet(values),
    )
    .execute();
  return {
    alias,
    keyPem: issued.keyPem,
    certChainPem: issued.certPem + ca.certPem,
    notAfter,
    issuedByLocalCa: true,
    names,
  };
}

/** Names of the default web server certificate: localhost, loopback, the host name, the configured name and the public URL's host. */
export function webServerNames(ctx: Ctx): string[] {
  const publicHost = ctx.config.publicUrl
    ? new URL(ctx.config.publicUrl).hostname.replace(/^\[|\]$/g, '')
    : undefined;
  return defaultServerNames([ctx.config.hostname, ...(publicHost ? [publicHost] : [])]);
}
