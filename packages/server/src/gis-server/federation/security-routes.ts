import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { type ConfigureContext, updateSecurityConfig } from './configure.ts';
import type { FederationState } from './federation-state.ts';
import { parsePortalProperties } from './portal-properties.ts';
import { SecurityConfigJson, SecurityConfigUpdateJson, SecurityConfigUpdateParams } from './schemas.ts';

/** The security configuration as the admin API shows it: never the secret. */
export function securityConfig(state: FederationState): SecurityConfigJson {
  const f = state.current;
  return {
    authenticationTier: f ? 'ARCGIS_PORTAL' : 'GIS_SERVER',
    sslEnabled: true,
    httpEnabled: false,
    portalProperties: f
      ? {
          portalUrl: f.portalUrl,
          portalId: f.portalId,
          serverId: f.serverId,
          portalMode: 'ARCGIS_PORTAL_FEDERATION',
        }
      : {},
    federated: Boolean(f),
  };
}

/**
 * admin/security/config: how this server authenticates (its own users, or a portal's), and
 * update, which a portal calls to federate the server (protocol step 3) or to let it go.
 * Administrators of this server only (a portal administrator's server token counts).
 */
export function registerSecurityRoutes(
  app: FastifyInstance,
  ctx: ConfigureContext & { serverId: string },
): void {
  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/admin/security/config',
    summary:
      "The server's security configuration: its authentication tier and the portal it is federated with.",
    tags: ['gis-server'],
    auth: 'admin',
    errors: 'portaladmin',
    response: SecurityConfigJson,
    handler: () => securityConfig(ctx.state),
  });

  route(app, {
    method: 'POST',
    url: '/arcgis/admin/security/config/update',
    summary:
      'Federates the server with a portal (authenticationTier=ARCGIS_PORTAL with portalProperties) or makes it standalone again (GIS_SERVER, portalProperties={}).',
    tags: ['gis-server'],
    auth: 'admin',
    errors: 'portaladmin',
    params: SecurityConfigUpdateParams,
    response: SecurityConfigUpdateJson,
    handler: async (_req, args) => {
      const props = parsePortalProperties(args.portalProperties ?? '{}');
      await updateSecurityConfig(ctx, args.authenticationTier, props);
      return { status: 'success' as const, serverId: ctx.serverId };
    },
  });
}
