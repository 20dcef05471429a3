import type { ServersContext } from './context.ts';
import { tokenDeps } from './context.ts';
import { answerError, type Json } from './server-client.ts';
import { adminServerToken } from './server-tokens.ts';
import type { ServerRow } from './store.ts';
import { checkCertificate } from './validate-certificate.ts';

export type ValidationStatus = 'success' | 'success with warnings' | 'failure' | 'undetermined';

export interface Validation {
  status: ValidationStatus;
  serverId: string;
  adminUrl: string;
  messages: string[];
  /** For a certificate issued by a CA this portal does not trust: the fingerprint to confirm. */
  fingerprintToConfirm?: string;
  code?: string;
  /** Why the certificate is refused, as the pki module diagnosed it (trust.unknown_ca, trust.self_signed, …). */
  diagnosisCode?: string;
}

/**
 * portaladmin/federation/servers/<id>/validate (protocol 8): the certificate (a renewal by a CA
 * the portal trusts is fine; a new CA fails with the fingerprint to confirm, which `confirmed`
 * then trusts), owningSystemUrl, administrator access with a token the portal mints, and the
 * server's portal properties.
 */
export async function validateServer(
  ctx: ServersContext,
  row: ServerRow,
  confirmed?: string,
): Promise<Validation> {
  const messages: string[] = [];
  let warnings = 0;
  const out = (status: ValidationStatus, extra: Partial<Validation> = {}): Validation => ({
    status,
    serverId: row.id,
    adminUrl: row.admin_url,
    messages,
    ...extra,
  });
  const cert = await checkCertificate(ctx, row, messages, confirmed);
  if (!cert.ok) {
    const { status, ok: _, ...extra } = cert;
    return out(status, extra);
  }
  if (cert.warnings) warnings++;

  let info: Json;
  try {
    info = await ctx.client.info(row.url);
  } catch (err) {
    messages.push(`rest/info: ${(err as Error).message}`);
    return out('undetermined');
  }
  const portalUrl = ctx.kernel.baseUrl();
  if (String(info.owningSystemUrl ?? '').toLowerCase() === portalUrl.toLowerCase())
    messages.push(`rest/info: owningSystemUrl is this portal (${portalUrl}).`);
  else {
    messages.push(
      `rest/info: owningSystemUrl is ${info.owningSystemUrl ? `'${String(info.owningSystemUrl).slice(0, 200)}'` : 'absent'}, not this portal (${portalUrl}): clients will not get server tokens from this portal. Federate the server again, or check the portal's public URL (publicUrl).`,
    );
    warnings++;
  }

  const token = await adminServerToken(tokenDeps(ctx), row.id, 'portal-validate');
  let config: Json;
  try {
    config = await ctx.client.securityConfig(row.admin_url, token!);
  } catch (err) {
    messages.push(`Administrator access: ${(err as Error).message}`);
    return out('undetermined');
  }
  const refused = answerError(config);
  if (refused) {
    messages.push(
      `Administrator access: ${row.name} refused this portal's server token (${refused}). The server no longer shares this portal's secret: unfederate and federate it again.`,
    );
    return out('failure', { code: 'servers.admin_access_refused' });
  }
  messages.push('Administrator access: the server accepts this portal’s administrator tokens.');
  const props = (config.portalProperties ?? {}) as Json;
  const portalId = await ctx.orgId();
  if (config.authenticationTier !== 'ARCGIS_PORTAL' || props.portalId !== portalId) {
    messages.push(
      `Portal properties: the server names portal '${String(props.portalId ?? 'none').slice(0, 64)}' (tier ${String(config.authenticationTier)}), not this portal (${portalId}). Federate it again.`,
    );
    return out('failure', { code: 'servers.federated_elsewhere' });
  }
  messages.push(`Portal properties: federated with this portal (${portalId}).`);
  return out(warnings ? 'success with warnings' : 'success');
}
