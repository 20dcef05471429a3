import { getCiphers, type SecureVersion } from 'node:tls';
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { DEFAULT_WEB_ALIAS } from '../pki/module.ts';
import type { TlsContext } from './context.ts';
import { TlsSettingInvalid } from './errors.ts';
import { DEFAULT_CIPHERS } from './policy.ts';

/**
 * The HTTPS settings an administrator changes at run time (portaladmin sslCertificates/update,
 * the UI, the CLI). Stored as one JSON value; every node reloads them on TLS_SETTINGS_TOPIC
 * and applies them to new connections without a restart.
 */
export interface TlsSettings {
  /** Alias of the certificate served by default. */
  webServerCertificateAlias: string;
  /** Host name → alias, for SNI: each name served with its own certificate. */
  sniCertificates: Record<string, string>;
  sslProtocols: SecureVersion[];
  cipherSuites: string[];
  HSTSEnabled: boolean;
  hstsMaxAgeSeconds: number;
  /** Paths (prefixes) that answer "SSL Required" over plain HTTP when http.mode is serve. */
  httpsRequiredPaths: string[];
}

import { TLS_SETTINGS_TOPIC } from './topics.ts';

export const ALLOWED_PROTOCOLS: readonly SecureVersion[] = ['TLSv1.2', 'TLSv1.3'];

/** Strong suites only: AEAD with forward secrecy. NULL, EXPORT, RC4, 3DES and CBC are not offered. */
export const ALLOWED_CIPHERS: readonly string[] = DEFAULT_CIPHERS.split(':').concat([
  'ECDHE-ECDSA-AES256-CCM',
  'ECDHE-ECDSA-AES128-CCM',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
]);

export function defaultTlsSettings(): TlsSettings {
  return {
    webServerCertificateAlias: DEFAULT_WEB_ALIAS,
    sniCertificates: {},
    sslProtocols: ['TLSv1.2', 'TLSv1.3'],
    cipherSuites: DEFAULT_CIPHERS.split(':'),
    HSTSEnabled: false,
    hstsMaxAgeSeconds: 31_536_000,
    httpsRequiredPaths: [],
  };
}

/** The current HTTPS settings; `db` may be a transaction of the caller. */
export async function readTlsSettings(db: Kysely<Database>): Promise<TlsSettings> {
  const row = await db
    .selectFrom('tls_settings')
    .select('value')
    .where('id', '=', 'current')
    .executeTakeFirst();
  return { ...defaultTlsSettings(), ...(row ? (JSON.parse(row.value) as Partial<TlsSettings>) : {}) };
}

function invalid(message: string): MeridianError {
  return new MeridianError(TlsSettingInvalid, message);
}

/** Validates every change first, then stores all of them at once, then tells every node. */
export async function updateTlsSettings(
  ctx: Pick<TlsContext, 'db' | 'bus' | 'pki'>,
  changes: Partial<TlsSettings>,
): Promise<TlsSettings> {
  const next = { ...(await readTlsSettings(ctx.db.kysely)), ...changes };
  if (!next.sslProtocols.length || next.sslProtocols.some((p) => !ALLOWED_PROTOCOLS.includes(p)))
    throw invalid(
      `sslProtocols must be TLSv1.2 and/or TLSv1.3; got ${next.sslProtocols.join(', ') || 'none'}.`,
    );
  const known = new Set(getCiphers().map((c) => c.toUpperCase()));
  for (const c of next.cipherSuites) {
    if (!ALLOWED_CIPHERS.includes(c) || (!c.startsWith('TLS_') && !known.has(c.toUpperCase())))
      throw invalid(`Cipher suite ${c} is not allowed. Allowed: ${ALLOWED_CIPHERS.join(', ')}.`);
  }
  const tls12 = next.cipherSuites.filter((c) => !c.startsWith('TLS_'));
  if (next.sslProtocols.includes('TLSv1.2') && tls12.length === 0)
    throw invalid('TLSv1.2 is enabled but no TLS 1.2 cipher suite is: add one, or disable TLSv1.2.');
  if (!Number.isInteger(next.hstsMaxAgeSeconds) || next.hstsMaxAgeSeconds < 0)
    throw invalid('hstsMaxAgeSeconds must be a whole number of seconds, 0 or more.');
  for (const alias of new Set([next.webServerCertificateAlias, ...Object.values(next.sniCertificates)])) {
    if (!(await ctx.pki.hasKey(alias)))
      throw invalid(
        `No certificate with a private key has the alias '${alias}': generate or import it first.`,
      );
  }
  for (const host of Object.keys(next.sniCertificates)) {
    if (!/^(\*\.)?[a-z0-9.-]+$/i.test(host)) throw invalid(`'${host}' is not a host name.`);
  }
  for (const p of next.httpsRequiredPaths) {
    if (!p.startsWith('/'))
      throw invalid(`httpsRequiredPaths entries are paths starting with '/'; got '${p}'.`);
  }
  const json = JSON.stringify(next);
  const now = Date.now();
  await ctx.db.kysely
    .insertInto('tls_settings')
    .values({ id: 'current', value: json, modified: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ value: json, modified: now }))
    .execute();
  await ctx.bus.publish(TLS_SETTINGS_TOPIC, {});
  return next;
}

/** TLS options for createSecureContext from the settings. */
export function secureOptions(s: TlsSettings): {
  minVersion: SecureVersion;
  maxVersion: SecureVersion;
  ciphers: string;
} {
  const order = ['TLSv1.2', 'TLSv1.3'] as const;
  const enabled = order.filter((p) => s.sslProtocols.includes(p));
  return { minVersion: enabled[0]!, maxVersion: enabled.at(-1)!, ciphers: s.cipherSuites.join(':') };
}
