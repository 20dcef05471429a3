import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Kernel } from '../../kernel/kernel.ts';
import type { PkiApi } from '../../pki/module.ts';
import { AlreadyFederated, FederationPropertiesInvalid } from './errors.ts';
import type { FederationState } from './federation-state.ts';
import { deleteFederation, type Federation, readFederation, writeFederation } from './federation-store.ts';
import type { PortalProperties } from './portal-properties.ts';
import { FEDERATION_TOPIC } from './topics.ts';

export type TrustPort = Pick<PkiApi['trust'], 'list' | 'import' | 'remove'>;

export interface ConfigureContext {
  kernel: Pick<Kernel, 'db' | 'box' | 'bus' | 'clock' | 'log'>;
  trust: TrustPort;
  state: FederationState;
  /** Drops what the federation left behind (the outbox) when it ends. */
  onUnfederated?: () => Promise<void>;
}

export type AuthenticationTier = 'GIS_SERVER' | 'ARCGIS_PORTAL';

/** The trust store alias of a portal's CA: "federated-portal-<host>" ("source" of the entry). */
function trustAlias(portalUrl: string): string {
  const host = new URL(portalUrl).host.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return `federated-portal-${host}`.slice(0, 100);
}

async function removeTrust(ctx: ConfigureContext, aliases: readonly string[]): Promise<void> {
  for (const alias of aliases)
    await ctx.trust.remove(alias).catch((err: unknown) => {
      // Removed by an administrator already: nothing left to do.
      if ((err as { code?: string }).code !== 'trust.alias_not_found') throw err;
    });
}

/** Trusts the portal's CA chain; answers the aliases this call created (not those already trusted). */
async function addTrust(ctx: ConfigureContext, p: PortalProperties): Promise<string[]> {
  const before = new Set((await ctx.trust.list()).map((e) => e.alias));
  const { aliases } = await ctx.trust.import(trustAlias(p.portalUrl), p.caChain.join('\n'));
  return aliases.filter((a) => !before.has(a));
}

/** Makes or updates the federation with the portal (protocol step 3). */
export async function federate(ctx: ConfigureContext, p: PortalProperties): Promise<Federation> {
  const current = await readFederation(ctx.kernel);
  if (current && current.portalId !== p.portalId)
    throw new MeridianError(
      AlreadyFederated,
      `This server is federated with the portal ${current.portalUrl} (id ${current.portalId}): unfederate it from that portal before federating it with ${p.portalUrl}.`,
    );
  // An update replaces the portal's CA entries (its CA may have changed).
  if (current) await removeTrust(ctx, current.trustAliases);
  const trustAliases = await addTrust(ctx, p);
  const f: Federation = {
    portalUrl: p.portalUrl,
    portalId: p.portalId,
    serverId: p.serverId,
    secret: p.secret,
    trustAliases,
    since: current?.since ?? ctx.kernel.clock.now(),
  };
  await writeFederation(ctx.kernel, f);
  await ctx.kernel.bus.publish(FEDERATION_TOPIC, { portalId: p.portalId });
  await ctx.state.reload();
  ctx.kernel.log.info(
    { portalUrl: f.portalUrl, portalId: f.portalId, serverId: f.serverId },
    current ? 'federation with the portal updated' : 'federated with the portal',
  );
  return f;
}

/** Forgets the portal: its secret, the trust entries the federation added; standalone again. */
export async function unfederate(ctx: ConfigureContext): Promise<boolean> {
  const current = await readFederation(ctx.kernel);
  if (!current) return false;
  await removeTrust(ctx, current.trustAliases);
  await deleteFederation(ctx.kernel);
  await ctx.onUnfederated?.();
  await ctx.kernel.bus.publish(FEDERATION_TOPIC, {});
  await ctx.state.reload();
  ctx.kernel.log.info({ portalUrl: current.portalUrl }, 'unfederated from the portal: standalone again');
  return true;
}

/** security/config/update: the tier decides; the properties must agree with it. */
export async function updateSecurityConfig(
  ctx: ConfigureContext,
  tier: AuthenticationTier,
  props: PortalProperties | undefined,
): Promise<void> {
  if (tier === 'ARCGIS_PORTAL') {
    if (!props)
      throw new MeridianError(
        FederationPropertiesInvalid,
        'authenticationTier=ARCGIS_PORTAL needs portalProperties with the portal (portalUrl, portalId, serverId, portalSecretKey, portalCaChain).',
      );
    await federate(ctx, props);
    return;
  }
  if (props)
    throw new MeridianError(
      FederationPropertiesInvalid,
      'authenticationTier=GIS_SERVER (unfederate) takes portalProperties={}.',
    );
  await unfederate(ctx);
}
