/** security/tokens and security/tokens/update: the server's token lifetimes (ArcGIS tokenManagerConfig). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { GisAdminContext } from './context.ts';
import { parseTokenManagerConfig } from './parse-token-config.ts';
import { Done, TokenManagerJson } from './schemas.ts';
import { readTokenTimeouts, type TokenTimeouts, writeTokenTimeouts } from './token-config.ts';

const TAGS = ['gis-server admin', 'security'];

const config = (t: TokenTimeouts) => ({
  tokenManagerConfig: {
    type: 'BUILTIN' as const,
    properties: { longTimeout: t.longTimeout, shortTimeout: t.shortTimeout },
  },
});

export function registerTokenRoutes(app: FastifyInstance, ctx: GisAdminContext): void {
  const common = { tags: TAGS, auth: 'admin', errors: 'portaladmin' } as const;

  route(app, {
    ...common,
    method: ['GET', 'POST'],
    url: '/arcgis/admin/security/tokens',
    summary: "The token manager: the server's token lifetimes in minutes (never a key).",
    response: TokenManagerJson,
    handler: async () => config(await readTokenTimeouts(ctx.kernel)),
  });

  route(app, {
    ...common,
    method: 'POST',
    url: '/arcgis/admin/security/tokens/update',
    summary:
      'Changes the token lifetimes (longTimeout: the longest a client may ask for; shortTimeout: the default), on every node; a sharedKey is refused.',
    params: Type.Object({
      tokenManagerConfig: Type.String({
        description: 'JSON: {"type":"BUILTIN","properties":{"longTimeout":1440,"shortTimeout":60}}.',
      }),
    }),
    response: Done,
    handler: async (_req, a) => {
      const next = parseTokenManagerConfig(a.tokenManagerConfig, await readTokenTimeouts(ctx.kernel));
      await writeTokenTimeouts(ctx.kernel, next);
      return { status: 'success' as const };
    },
  });
}
