import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCaller } from '../../http/require-caller.ts';
import { route } from '../../http/route.ts';
import type { OAuthContext } from '../context.ts';
import { registeredAppJson, registeredAppWithSecretJson } from './app-json.ts';
import {
  AppInfoJson,
  AppInfoUpdated,
  RegisteredAppJson,
  RegisteredAppWithSecretJson,
  UnregisterAppAnswer,
} from './schemas.ts';
import {
  actorOf,
  appOfItem,
  getAppInfo,
  loadApp,
  registerApp,
  resetSecret,
  unregisterApp,
  updateApp,
  updateAppInfo,
} from './service.ts';

const TAGS = ['oauth'];
const BASE = '/sharing/rest/oauth2';

const jsonList = (description: string) => Type.Optional(Type.String({ maxLength: 256 * 1024, description }));
const REDIRECT_URIS = jsonList(
  'JSON array of redirect URIs: urn:ietf:wg:oauth:2.0:oob, https URLs, http on localhost/127.0.0.1/[::1], or private-use schemes (native and multiple apps). Matched exactly.',
);
const HTTP_REFERRERS = jsonList('JSON array of HTTP referrers tokens of the app are restricted to.');
const PRIVILEGES = jsonList(
  'Accepted for compatibility when empty ([]): API key privileges are not supported.',
);
const APP_TYPE = Type.String({ maxLength: 32, description: 'browser | native | server | multiple' });

const clientIdOf = (req: FastifyRequest) => (req.params as { clientId: string }).clientId;
const actor = (req: FastifyRequest) => actorOf(requireCaller(req.caller));

/**
 * Registered apps (ArcGIS REST: "Register App", "Registered App", "Update App", "Unregister
 * App", "Registered App Info"; Portal Administrator: "Get App Info", "Update App Info"), and
 * Meridian's resetSecret where ArcGIS documents no operation.
 */
export function registerAppRoutes(app: FastifyInstance, ctx: OAuthContext): void {
  route(app, {
    method: 'POST',
    url: `${BASE}/registerApp`,
    summary:
      "Registers an application item (its owner or an administrator) as an OAuth app: answers its client_id and client_secret. The secret is shown this once (only its hash is kept); the item gets the 'Registered App' type keyword.",
    tags: TAGS,
    auth: 'user',
    params: Type.Object({
      itemId: Type.String({ maxLength: 64 }),
      appType: APP_TYPE,
      redirect_uris: REDIRECT_URIS,
      httpReferrers: HTTP_REFERRERS,
      privileges: PRIVILEGES,
    }),
    response: RegisteredAppWithSecretJson,
    handler: async (req, args) => {
      const { app: registered, clientSecret } = await registerApp(ctx, actor(req), args);
      return registeredAppWithSecretJson(registered, clientSecret);
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/apps/:clientId`,
    summary:
      "A registered app (its item's owner or an administrator; arcgisonline: administrators). Never its client_secret.",
    tags: TAGS,
    auth: 'user',
    response: RegisteredAppJson,
    handler: async (req) => registeredAppJson(await loadApp(ctx, actor(req), clientIdOf(req))),
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/apps/:clientId/update`,
    summary:
      "Changes a registered app: the appType, redirect_uris and httpReferrers sent replace the app's (redirect URIs are checked against the app type). Never answers the secret.",
    tags: TAGS,
    auth: 'user',
    params: Type.Object({
      appType: Type.Optional(APP_TYPE),
      redirect_uris: REDIRECT_URIS,
      httpReferrers: HTTP_REFERRERS,
      privileges: PRIVILEGES,
    }),
    response: RegisteredAppJson,
    handler: async (req, args) => registeredAppJson(await updateApp(ctx, actor(req), clientIdOf(req), args)),
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/apps/:clientId/resetSecret`,
    summary:
      'Meridian (no ArcGIS operation is documented): replaces the client secret; the old one stops working at once. The new secret is shown this once: only its hash is kept.',
    tags: TAGS,
    auth: 'user',
    response: RegisteredAppWithSecretJson,
    handler: async (req) => {
      const { app: rotated, clientSecret } = await resetSecret(ctx, actor(req), clientIdOf(req));
      return registeredAppWithSecretJson(rotated, clientSecret);
    },
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/apps/:clientId/unregister`,
    summary:
      "Removes an app's registration (its client_id and secret stop working) and the item's 'Registered App' type keyword; the item stays.",
    tags: TAGS,
    auth: 'user',
    response: UnregisterAppAnswer,
    handler: async (req) => ({
      success: true as const,
      ...(await unregisterApp(ctx, actor(req), clientIdOf(req))),
    }),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/sharing/rest/content/users/:username/items/:itemId/registeredAppInfo',
    summary:
      'The app registered for an item (its owner or an administrator; arcgis-rest-js names the caller in the path, so the username is not checked against the owner). Never its client_secret.',
    tags: TAGS,
    auth: 'user',
    response: RegisteredAppJson,
    handler: async (req) =>
      registeredAppJson(await appOfItem(ctx, actor(req), (req.params as { itemId: string }).itemId)),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: '/portaladmin/security/oauth/getAppInfo',
    summary:
      "An app's client id and redirect URIs (administrators); for arcgisonline the first is the portal's own web UI callback, derived from its public URL.",
    tags: ['portaladmin'],
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      appID: Type.String({ maxLength: 64, description: 'The client id, e.g. arcgisonline.' }),
    }),
    response: AppInfoJson,
    handler: (_req, args) => getAppInfo(ctx, args.appID),
  });

  route(app, {
    method: 'POST',
    url: '/portaladmin/security/oauth/updateAppInfo',
    summary:
      "Replaces an app's redirect URIs (administrators), checked as registerApp checks them; for arcgisonline the portal's own callback is always kept.",
    tags: ['portaladmin'],
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      appInfo: Type.String({
        maxLength: 256 * 1024,
        description: 'JSON: {"appId": "arcgisonline", "redirectURIs": ["https://…", …]}',
      }),
    }),
    response: AppInfoUpdated,
    handler: async (_req, args) => {
      await updateAppInfo(ctx, args.appInfo);
      return { status: 'success' as const };
    },
  });
}
