import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { GenerateTokenParams, TokenJson } from '../http/schemas.ts';
import { CURRENT_VERSION, MERIDIAN_VERSION } from '../kernel/version.ts';
import { readTokenTimeouts } from './admin/token-config.ts';
import type { GisServerContext } from './context.ts';
import { AdminRootJson, ServerInfoJson } from './schemas.ts';

/** What /arcgis/admin has: each one a resource with routes under it. */
export const ADMIN_RESOURCES = ['jobs', 'machines', 'security', 'services'] as const;

/**
 * The GIS server's REST root: what clients read first (rest/info: how to get a token), its own
 * token service, and the administrator API's root (which proves a token: it answers
 * administrators only). The services directory is services/rest-routes.ts.
 */
export function registerGisServerRoutes(app: FastifyInstance, ctx: GisServerContext): void {
  const base = () => `${ctx.kernel.baseUrl()}/arcgis`;

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/rest/info',
    summary: 'The server: its version and how to authenticate (owningSystemUrl once federated).',
    tags: ['gis-server'],
    auth: 'public',
    response: ServerInfoJson,
    handler: async () => {
      const { owningSystemUrl, tokenServicesUrl } = ctx.federation?.restInfo(base()) ?? {
        tokenServicesUrl: `${base()}/tokens/generateToken`,
      };
      // The lifetime of a token asked for without one, as security/tokens/update set it (live).
      const { shortTimeout } = await readTokenTimeouts(ctx.kernel);
      return {
        currentVersion: Number(CURRENT_VERSION),
        fullVersion: MERIDIAN_VERSION,
        ...(owningSystemUrl ? { owningSystemUrl } : {}),
        authInfo: { isTokenBasedSecurity: true, tokenServicesUrl, shortLivedTokenValidity: shortTimeout },
      };
    },
  });

  for (const url of ['/arcgis/tokens/generateToken', '/arcgis/admin/generateToken']) {
    route(app, {
      method: ['GET', 'POST'],
      url,
      summary: "Exchanges a server user's username and password for a token of this server.",
      tags: ['gis-server'],
      auth: 'public',
      // ArcGIS Server's admin API answers errors in the administrator shape; its token service in the REST one.
      errors: url.startsWith('/arcgis/admin') ? 'portaladmin' : 'arcgis',
      params: GenerateTokenParams,
      response: TokenJson,
      handler: (req, args) => ctx.tokens.generateToken(req, args),
    });
  }

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/admin',
    summary: "The administrator API's root (administrators of this server only).",
    tags: ['gis-server'],
    auth: 'admin',
    errors: 'portaladmin',
    response: AdminRootJson,
    handler: () => ({ resources: [...ADMIN_RESOURCES], currentVersion: Number(CURRENT_VERSION) }),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/arcgis/admin/security',
    summary: "The administrator API's security resources (administrators).",
    tags: ['gis-server'],
    auth: 'admin',
    errors: 'portaladmin',
    response: AdminRootJson,
    handler: () => ({ resources: ['config', 'tokens'], currentVersion: Number(CURRENT_VERSION) }),
  });
}
