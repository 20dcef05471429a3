import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { StringEnum } from '../http/schemas.ts';
import { BadRequest } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { CURRENT_VERSION, MERIDIAN_VERSION } from '../kernel/version.ts';
import { MAX_BASEMAP_JSON_LENGTH, parseDefaultBasemap } from './basemap-input.ts';
import { allowedOriginsCors, parseOrigins } from './cors.ts';
import { describePortal } from './describe.ts';
import { SignInLockout } from './errors.ts';
import { PortalSelfJson, PortalUpdateAnswer, RestInfoJson, RestRootJson } from './schemas.ts';
import {
  DEFAULT_ITEM_ACCESS,
  MAX_TOKEN_EXPIRATION_LIMIT,
  type PortalSettings,
  type PortalSettingsStore,
} from './settings.ts';

/**
 * Turning built-in sign-in off is refused while it would lock the organisation out: without a
 * SAML login (canSignInIDP, set by the saml module), or without an enabled administrator who
 * has a SAML account (asked of identity through `blocker`).
 */
async function checkBuiltInSignInOff(
  current: PortalSettings,
  blocker: (() => Promise<string | undefined>) | undefined,
): Promise<void> {
  const reason = !current.canSignInIDP
    ? 'the organisation has no SAML login; register one first'
    : blocker
      ? await blocker()
      : 'this node cannot tell whether an administrator can sign in through SAML';
  if (reason)
    throw new MeridianError(
      SignInLockout,
      `Built-in sign-in (canSignInArcGIS) cannot be turned off: ${reason}. Nobody could sign in as an administrator otherwise.`,
    );
}

export function registerPortalRoutes(
  app: FastifyInstance,
  ctx: {
    kernel: Kernel;
    settings: PortalSettingsStore;
    builtInSignInOffBlocker?: (() => Promise<string | undefined>) | undefined;
  },
): void {
  allowedOriginsCors(app, ctx.settings);
  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest',
    summary: 'The root of the Sharing API.',
    auth: 'public',
    response: RestRootJson,
    handler: () => ({ currentVersion: CURRENT_VERSION }),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/info',
    summary: 'How to authenticate against this portal.',
    auth: 'public',
    response: RestInfoJson,
    handler: () => ({
      owningSystemUrl: ctx.kernel.baseUrl(),
      fullVersion: MERIDIAN_VERSION,
      currentVersion: CURRENT_VERSION,
      authInfo: {
        isTokenBasedSecurity: true,
        tokenServicesUrl: `${ctx.kernel.baseUrl()}/sharing/rest/generateToken`,
        shortLivedTokenValidity: 120,
      },
    }),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/portals/self',
    summary: 'The organisation and, when signed in, the caller.',
    auth: 'public',
    response: PortalSelfJson,
    handler: (req) => describePortal(ctx.settings, ctx.kernel.baseUrl(), req.caller),
  });

  route(app, {
    method: 'POST',
    url: '/sharing/rest/portals/self/update',
    summary: 'Change organisation settings (administrators).',
    auth: 'admin',
    params: Type.Object({
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
      description: Type.Optional(Type.String({ maxLength: 64000 })),
      maxTokenExpirationMinutes: Type.Optional(
        Type.Integer({ minimum: 1, maximum: MAX_TOKEN_EXPIRATION_LIMIT }),
      ),
      defaultTokenExpirationMinutes: Type.Optional(
        Type.Integer({ minimum: 1, maximum: MAX_TOKEN_EXPIRATION_LIMIT }),
      ),
      allSSL: Type.Optional(
        Type.Boolean({
          description: 'Require HTTPS for every resource (effective when http.mode is serve).',
        }),
      ),
      allowedOrigins: Type.Optional(
        Type.String({
          maxLength: 16000,
          description:
            'Comma-separated origins (https://app.example.org) of browser apps that may call the Sharing API cross-origin; empty: every origin.',
        }),
      ),
      canSignInArcGIS: Type.Optional(
        Type.Boolean({
          description:
            'Built-in accounts may sign in with a password (the sign-in page, generateToken). Turning it off is refused unless a SAML login is registered and an enabled administrator has a SAML account; locked out: `meridian portal allow-builtin-sign-in` on the server.',
        }),
      ),
      allowBuiltInAccounts: Type.Optional(
        Type.Boolean({
          description:
            "Meridian's setting: built-in accounts may be created (createUser with provider arcgis, `meridian users add`); off: SAML accounts only.",
        }),
      ),
      defaultItemAccess: Type.Optional(
        StringEnum(DEFAULT_ITEM_ACCESS, {
          description:
            "Who sees a new item added with the web UI's Add item form unless its owner chooses otherwise: private, org or public. Items added through the API stay private until shared.",
        }),
      ),
      defaultBasemap: Type.Optional(
        Type.Unsafe<string | Record<string, unknown> | null>({
          type: ['string', 'object', 'null'],
          maxLength: MAX_BASEMAP_JSON_LENGTH,
          description:
            'The basemap of item maps, as ArcGIS JSON: {"title":"…","baseMapLayers":[{"layerType":"WebTiledLayer","templateUrl":"https://tiles.example.org/{level}/{col}/{row}.png","copyright":"…"}]} ({z}/{x}/{y} are taken too), or a layer {"layerType":"ArcGISTiledMapServiceLayer","url":"https://…/MapServer"}; at most 4 layers. URLs are https (http only on localhost in development mode), without credentials. Empty: no basemap, the maps work offline.',
        }),
      ),
    }),
    response: PortalUpdateAnswer,
    handler: async (_req, args) => {
      const current = await ctx.settings.get();
      const changes: Partial<PortalSettings> = {};
      if (args.name !== undefined) changes.name = args.name;
      if (args.description !== undefined) changes.description = args.description;
      if (args.maxTokenExpirationMinutes !== undefined)
        changes.maxTokenExpirationMinutes = args.maxTokenExpirationMinutes;
      if (args.allSSL !== undefined) changes.allSSL = args.allSSL;
      if (args.defaultItemAccess !== undefined) changes.defaultItemAccess = args.defaultItemAccess;
      if (args.allowedOrigins !== undefined) changes.allowedOrigins = parseOrigins(args.allowedOrigins);
      if (args.allowBuiltInAccounts !== undefined) changes.allowBuiltInAccounts = args.allowBuiltInAccounts;
      if (args.defaultBasemap !== undefined)
        changes.defaultBasemap = parseDefaultBasemap(args.defaultBasemap, {
          httpOnLoopback: ctx.kernel.config.mode === 'development',
        });
      if (args.canSignInArcGIS !== undefined) {
        if (!args.canSignInArcGIS && current.canSignInArcGIS)
          await checkBuiltInSignInOff(current, ctx.builtInSignInOffBlocker);
        changes.canSignInArcGIS = args.canSignInArcGIS;
      }
      if (args.defaultTokenExpirationMinutes !== undefined)
        changes.defaultTokenExpirationMinutes = args.defaultTokenExpirationMinutes;
      const max = changes.maxTokenExpirationMinutes ?? current.maxTokenExpirationMinutes;
      const def = changes.defaultTokenExpirationMinutes ?? current.defaultTokenExpirationMinutes;
      if (def > max)
        throw new MeridianError(
          BadRequest,
          `defaultTokenExpirationMinutes (${def}) cannot exceed maxTokenExpirationMinutes (${max}).`,
        );
      await ctx.settings.update(changes);
      return { success: true, id: current.id };
    },
  });
}
