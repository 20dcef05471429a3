/**
 * The registered-app operations, with who may do them: the item's owner or an administrator
 * for an item's app, an administrator for the built-in client. Items are reached through
 * content's API only (ContentApi.items).
 */
import type { Kysely } from 'kysely';
import type { Caller } from '../../http/caller.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { OAuthContext } from '../context.ts';
import {
  AlreadyRegistered,
  AppInfoInvalid,
  AppItemNotFound,
  AppNotFound,
  AppNotPermitted,
  AppTypeInvalid,
  BuiltInApp,
  ItemNotApplication,
  PrivilegesUnsupported,
} from './errors.ts';
import { parseRegisteredRedirectUris } from './redirect-uris.ts';
import { parseHttpReferrers } from './referrers.ts';
import { type AppType, type OAuthApp, PORTAL_CLIENT_ID } from './registry.ts';
import { APP_TYPES, APPLICATION_ITEM_TYPES } from './schemas.ts';

/** The type keyword registerApp appends to the item and unregister removes (as ArcGIS does). */
export const REGISTERED_APP_KEYWORD = 'Registered App';

const ITEM_TYPES: readonly string[] = APPLICATION_ITEM_TYPES;

/** Who is acting: a signed-in user (the routes require one). */
export interface Actor {
  username: string;
  isAdmin: boolean;
}

export function actorOf(caller: Caller): Actor {
  return { username: caller.username, isAdmin: caller.role === 'org_admin' };
}

const sameUser = (a: string, b: string | null) => b !== null && a.toLowerCase() === b.toLowerCase();

export function parseAppType(value: string): AppType {
  const v = value.trim().toLowerCase();
  if ((APP_TYPES as readonly string[]).includes(v)) return v as AppType;
  throw new MeridianError(
    AppTypeInvalid,
    v === 'apikey'
      ? "appType 'apikey' is not supported: Meridian registers OAuth 2.0 apps (browser, native, server, multiple)."
      : `appType '${value.slice(0, 64)}' is not one of browser, native, server, multiple.`,
  );
}

/** arcgis-rest-js sends privileges=[] with every registration; a non-empty list asks for an API key. */
function checkPrivileges(value: string | undefined): void {
  if (value === undefined) return;
  const v = value.trim();
  if (v === '' || /^\[\s*\]$/.test(v)) return;
  throw new MeridianError(
    PrivilegesUnsupported,
    'App privileges are not supported (API keys): send privileges=[] or leave it out.',
  );
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

function alreadyRegistered(itemId: string): MeridianError {
  return new MeridianError(AlreadyRegistered, `Item '${itemId}' is already registered as an app.`);
}

/** The item `actor` may register or manage: visible, and theirs unless they administer. */
async function ownedItem(ctx: OAuthContext, db: Kysely<Database>, actor: Actor, itemId: string) {
  const item = await ctx.content.items.get(db, itemId, actor);
  if (!item) throw new MeridianError(AppItemNotFound, 'Item does not exist or is inaccessible.');
  if (!actor.isAdmin && !sameUser(actor.username, item.owner))
    throw new MeridianError(
      AppNotPermitted,
      `Only the owner of item '${itemId}' or an administrator may register it or manage its app.`,
    );
  return item;
}

/** An app `actor` may read and manage (the item's owner or an administrator; the built-in client: administrators). */
export async function loadApp(ctx: OAuthContext, actor: Actor, clientId: string): Promise<OAuthApp> {
  const app = await ctx.apps.find(clientId);
  if (!app) throw new MeridianError(AppNotFound, `App '${clientId.slice(0, 64)}' does not exist.`);
  if (actor.isAdmin) return app;
  const item = app.itemId ? await ctx.content.items.get(ctx.db.kysely, app.itemId, actor) : undefined;
  if (!item || !sameUser(actor.username, item.owner))
    throw new MeridianError(
      AppNotPermitted,
      `Only the owner of the app's item or an administrator may access app '${clientId}'.`,
    );
  return app;
}

export interface RegisterArgs {
  itemId: string;
  appType: string;
  redirect_uris?: string;
  httpReferrers?: string;
  privileges?: string;
}

/** oauth2/registerApp: a client_id and a secret (shown once) for an application item. */
export async function registerApp(
  ctx: OAuthContext,
  actor: Actor,
  args: RegisterArgs,
): Promise<{ app: OAuthApp; clientSecret: string }> {
  try {
    return await ctx.db.kysely.transaction().execute(async (trx) => {
      const item = await ownedItem(ctx, trx, actor, args.itemId);
      if (!ITEM_TYPES.includes(item.type))
        throw new MeridianError(
          ItemNotApplication,
          `Item '${item.id}' is a ${item.type || 'item without a type'}; only an application item (${APPLICATION_ITEM_TYPES.join(', ')}) can be registered.`,
        );
      const appType = parseAppType(args.appType);
      const redirectUris = parseRegisteredRedirectUris(args.redirect_uris ?? '[]', appType);
      const httpReferrers = parseHttpReferrers(args.httpReferrers ?? '[]');
      checkPrivileges(args.privileges);
      if (await ctx.apps.findByItem(item.id, trx)) throw alreadyRegistered(item.id);
      const registered = await ctx.apps.register(trx, {
        itemId: item.id,
        owner: item.owner,
        appType,
        redirectUris,
        httpReferrers,
      });
      await ctx.content.items.addTypeKeyword(trx, item.id, REGISTERED_APP_KEYWORD);
      return registered;
    });
  } catch (err) {
    // Two registrations of one item at once: the unique item_id lets one through.
    if (isUniqueViolation(err)) throw alreadyRegistered(args.itemId);
    throw err;
  }
}

/** content/users/<u>/items/<itemId>/registeredAppInfo: the app registered for an item. */
export async function appOfItem(ctx: OAuthContext, actor: Actor, itemId: string): Promise<OAuthApp> {
  const item = await ownedItem(ctx, ctx.db.kysely, actor, itemId);
  const app = await ctx.apps.findByItem(item.id);
  if (!app) throw new MeridianError(AppNotFound, `Item '${item.id}' is not registered as an app.`);
  return app;
}

function refuseBuiltIn(app: OAuthApp): void {
  if (app.clientId === PORTAL_CLIENT_ID || app.itemId === null)
    throw new MeridianError(
      BuiltInApp,
      `'${app.clientId}' is the portal's built-in client: change its redirect URIs with portaladmin/security/oauth/updateAppInfo.`,
    );
}

export interface UpdateArgs {
  appType?: string;
  redirect_uris?: string;
  httpReferrers?: string;
  privileges?: string;
}

/**
 * oauth2/apps/<client_id>/update: the parameters sent replace their values; the redirect URIs
 * (sent or kept) are checked against the (new) app type.
 */
export async function updateApp(
  ctx: OAuthContext,
  actor: Actor,
  clientId: string,
  args: UpdateArgs,
): Promise<OAuthApp> {
  const app = await loadApp(ctx, actor, clientId);
  refuseBuiltIn(app);
  const appType = args.appType !== undefined ? parseAppType(args.appType) : app.appType;
  const redirectUris = parseRegisteredRedirectUris(args.redirect_uris ?? app.redirectUris, appType);
  const httpReferrers = args.httpReferrers !== undefined ? parseHttpReferrers(args.httpReferrers) : undefined;
  checkPrivileges(args.privileges);
  const updated = await ctx.apps.update(app.clientId, { appType, redirectUris, httpReferrers });
  if (!updated) throw new MeridianError(AppNotFound, `App '${clientId}' was unregistered meanwhile.`);
  return updated;
}

/** oauth2/apps/<client_id>/resetSecret: a new secret (shown once); the old one stops working at once. */
export async function resetSecret(
  ctx: OAuthContext,
  actor: Actor,
  clientId: string,
): Promise<{ app: OAuthApp; clientSecret: string }> {
  const app = await loadApp(ctx, actor, clientId);
  refuseBuiltIn(app);
  const rotated = await ctx.apps.rotateSecret(app.clientId);
  if (!rotated) throw new MeridianError(AppNotFound, `App '${clientId}' was unregistered meanwhile.`);
  return rotated;
}

/** oauth2/apps/<client_id>/unregister: the registration goes, and the item's Registered App keyword. */
export async function unregisterApp(
  ctx: OAuthContext,
  actor: Actor,
  clientId: string,
): Promise<{ itemId: string }> {
  const app = await loadApp(ctx, actor, clientId);
  refuseBuiltIn(app);
  const itemId = app.itemId!;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    if (!(await ctx.apps.remove(trx, app.clientId)))
      throw new MeridianError(AppNotFound, `App '${clientId}' was unregistered meanwhile.`);
    await ctx.content.items.removeTypeKeyword(trx, itemId, REGISTERED_APP_KEYWORD);
  });
  return { itemId };
}

/** portaladmin/security/oauth/getAppInfo (administrators; the route checks). */
export async function getAppInfo(
  ctx: OAuthContext,
  appId: string,
): Promise<{ appId: string; redirectURIs: string[] }> {
  const app = await ctx.apps.find(appId);
  if (!app) throw new MeridianError(AppNotFound, `App '${appId.slice(0, 64)}' does not exist.`);
  return { appId: app.clientId, redirectURIs: [...app.redirectUris] };
}

/**
 * portaladmin/security/oauth/updateAppInfo (administrators): appInfo={"appId", "redirectURIs"}
 * replaces the app's redirect URIs. For arcgisonline the portal's own callback is always kept
 * (derived, not stored): sending it back, as getAppInfo shows it, changes nothing.
 */
export async function updateAppInfo(ctx: OAuthContext, appInfo: string): Promise<void> {
  let info: unknown;
  try {
    info = JSON.parse(appInfo);
  } catch {
    throw new MeridianError(AppInfoInvalid, "'appInfo' is not valid JSON.");
  }
  const { appId, redirectURIs } = (info ?? {}) as { appId?: unknown; redirectURIs?: unknown };
  if (typeof info !== 'object' || typeof appId !== 'string' || !Array.isArray(redirectURIs))
    throw new MeridianError(
      AppInfoInvalid,
      "'appInfo' must be a JSON object with appId (a string) and redirectURIs (an array).",
    );
  const app = await ctx.apps.find(appId);
  if (!app) throw new MeridianError(AppNotFound, `App '${appId.slice(0, 64)}' does not exist.`);
  let uris = parseRegisteredRedirectUris(redirectURIs, app.appType);
  if (app.clientId === PORTAL_CLIENT_ID) uris = ctx.apps.withoutPortalCallback(uris);
  await ctx.apps.update(app.clientId, { redirectUris: uris });
}
