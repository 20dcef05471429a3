import type { SecureVersion } from 'node:tls';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { TlsContext } from './context.ts';
import { TlsSettingInvalid } from './errors.ts';
import { readTlsSettings, type TlsSettings, updateTlsSettings } from './tls-settings.ts';

/** sslCertificates/update as ArcGIS clients send it: comma lists, "true"/"false", a JSON object. */
export interface TlsUpdateArgs {
  webServerCertificateAlias?: string;
  sslProtocols?: string;
  cipherSuites?: string;
  HSTSEnabled?: boolean | string;
  sniCertificates?: string | Record<string, string>;
  httpsRequiredPaths?: string;
  /** Serve a certificate even though it does not fit (host name, dates, key usage). */
  force?: boolean | string;
}

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses the changes (nothing given → nothing changes); updateTlsSettings validates, stores and tells every node. */
export function parseTlsUpdate(a: TlsUpdateArgs): Partial<TlsSettings> {
  const changes: Partial<TlsSettings> = {};
  if (a.webServerCertificateAlias !== undefined)
    changes.webServerCertificateAlias = a.webServerCertificateAlias.trim();
  if (a.sslProtocols !== undefined) changes.sslProtocols = list(a.sslProtocols) as SecureVersion[];
  if (a.cipherSuites !== undefined) changes.cipherSuites = list(a.cipherSuites);
  if (a.HSTSEnabled !== undefined) {
    const v = String(a.HSTSEnabled).toLowerCase();
    if (v !== 'true' && v !== 'false')
      throw new MeridianError(
        TlsSettingInvalid,
        `HSTSEnabled must be true or false, not '${a.HSTSEnabled}'.`,
      );
    changes.HSTSEnabled = v === 'true';
  }
  if (a.sniCertificates !== undefined) changes.sniCertificates = parseSni(a.sniCertificates);
  if (a.httpsRequiredPaths !== undefined) changes.httpsRequiredPaths = list(a.httpsRequiredPaths);
  return changes;
}

function parseSni(raw: string | Record<string, string>): Record<string, string> {
  let v: unknown = raw;
  if (typeof raw === 'string') {
    try {
      v = raw.trim() ? JSON.parse(raw) : {};
    } catch {
      throw new MeridianError(
        TlsSettingInvalid,
        'sniCertificates must be a JSON object of host name → alias, for example {"gis.example.com":"gis"}.',
      );
    }
  }
  if (!v || typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw new MeridianError(TlsSettingInvalid, 'sniCertificates must be a JSON object of host name → alias.');
  return Object.fromEntries(
    Object.entries(v as Record<string, string>).map(([h, al]) => [h.toLowerCase(), al]),
  );
}

/**
 * Applies an update. A certificate it starts serving (a new web server alias, a new or changed
 * SNI entry) must fit the name clients use; one that does not is refused with every reason
 * (pki.unsuitable_server_certificate), unless `force`: then the reasons come back as warnings.
 */
export async function applyTlsUpdate(
  ctx: Pick<TlsContext, 'db' | 'bus' | 'config' | 'pki'>,
  a: TlsUpdateArgs,
): Promise<{ settings: TlsSettings; warnings: string[] }> {
  const changes = parseTlsUpdate(a);
  const force = a.force === true || String(a.force).toLowerCase() === 'true';
  const assignments = ctx.pki.newAssignments(
    ctx.config.hostname,
    await readTlsSettings(ctx.db.kysely),
    changes,
  );
  const warnings = await ctx.pki.checkServerAssignments(assignments, { force });
  return { settings: await updateTlsSettings(ctx, changes), warnings };
}
