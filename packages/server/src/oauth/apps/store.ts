import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { hashSecret, newClientId, newClientSecret, secretMatches } from './credentials.ts';
import { type AppRegistry, type AppType, type OAuthApp, PORTAL_CLIENT_ID } from './registry.ts';
import type { OAuthAppsTable } from './tables.ts';

type AppRow = Selectable<OAuthAppsTable>;

/** Runs inside the transaction that removes an app (unregister, or its item's deletion). */
export type AppRemovedHook = (trx: Kysely<Database>, clientId: string) => Promise<void>;

/** The path of the web UI's OAuth callback; the portal's own client always accepts it. */
export const PORTAL_CALLBACK_PATH = '/home/oauth-callback';

/** The web UI's callback at the portal's current public URL. */
export function portalCallbackUri(baseUrl: string): string {
  return `${baseUrl}${PORTAL_CALLBACK_PATH}`;
}

function stringList(text: string): string[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The current title of an app's item (read through content's API), for find(). */
export type TitleOf = (db: Kysely<Database>, itemId: string) => Promise<string | undefined>;

export interface NewApp {
  itemId: string;
  owner: string;
  appType: AppType;
  redirectUris: readonly string[];
  httpReferrers: readonly string[];
}

export interface AppChanges {
  appType?: AppType;
  redirectUris?: readonly string[];
  httpReferrers?: readonly string[];
}

/**
 * The oauth_apps table: the registry the authorization flow reads (AppRegistry) and the
 * operations registration needs. It knows nothing of items or callers: apps/service.ts checks
 * who may do what. A client secret leaves this class only as the return value of register()
 * and rotateSecret(); it is stored as its SHA-256 hash.
 */
export class AppStore implements AppRegistry {
  readonly #db: Kysely<Database>;
  readonly #baseUrl: () => string;
  readonly #now: () => number;
  readonly #titleOf: TitleOf;
  readonly #removedHooks: AppRemovedHook[] = [];
  readonly #rotatedHooks: Array<(clientId: string) => Promise<void>> = [];

  constructor(
    db: Kysely<Database>,
    baseUrl: () => string,
    now: () => number,
    titleOf: TitleOf = async () => undefined,
  ) {
    this.#db = db;
    this.#baseUrl = baseUrl;
    this.#now = now;
    this.#titleOf = titleOf;
  }

  /**
   * Registers a hook run inside the transaction that removes an app (explicit unregister or
   * its item's deletion), for what hangs on the client (its refresh tokens, pending codes).
   */
  onAppRemoved(hook: AppRemovedHook): void {
    this.#removedHooks.push(hook);
  }

  /** Runs after an app's secret was replaced (what was obtained with the old one is revoked). */
  onSecretRotated(hook: (clientId: string) => Promise<void>): void {
    this.#rotatedHooks.push(hook);
  }

  #toApp(row: AppRow): OAuthApp {
    const stored = stringList(row.redirect_uris);
    const redirectUris = row.client_id === PORTAL_CLIENT_ID ? this.#withPortalCallback(stored) : stored;
    return {
      clientId: row.client_id,
      itemId: row.item_id,
      owner: row.owner,
      appType: row.app_type,
      redirectUris,
      httpReferrers: stringList(row.http_referrers),
      hasSecret: row.secret_hash !== null,
      registered: Number(row.registered),
      modified: Number(row.modified),
    };
  }

  /** The portal's own callback (derived from the current public URL, never stored) first, then the stored list. */
  #withPortalCallback(stored: readonly string[]): string[] {
    const callback = portalCallbackUri(this.#baseUrl());
    return [callback, ...stored.filter((u) => u !== callback)];
  }

  /** The stored redirect URIs of the built-in client, without the derived callback (for updateAppInfo). */
  withoutPortalCallback(uris: readonly string[]): string[] {
    const callback = portalCallbackUri(this.#baseUrl());
    return uris.filter((u) => u !== callback);
  }

  async #withTitle(db: Kysely<Database>, row: AppRow | undefined): Promise<OAuthApp | undefined> {
    if (!row) return undefined;
    const app = this.#toApp(row);
    const title = row.item_id ? await this.#titleOf(db, row.item_id) : undefined;
    return title === undefined ? app : { ...app, title };
  }

  async find(clientId: string, db: Kysely<Database> = this.#db): Promise<OAuthApp | undefined> {
    const row = await db
      .selectFrom('oauth_apps')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return this.#withTitle(db, row);
  }

  async findByItem(itemId: string, db: Kysely<Database> = this.#db): Promise<OAuthApp | undefined> {
    const row = await db
      .selectFrom('oauth_apps')
      .selectAll()
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    return this.#withTitle(db, row);
  }

  async verifySecret(clientId: string, secret: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('oauth_apps')
      .select('secret_hash')
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return secretMatches(secret, row?.secret_hash ?? null);
  }

  /**
   * The built-in arcgisonline client, created if absent: on every start, by every node, at
   * once (insert-if-absent on the primary key), so it exists from the first start.
   */
  async ensureBuiltIn(): Promise<void> {
    const now = this.#now();
    await this.#db
      .insertInto('oauth_apps')
      .values({
        client_id: PORTAL_CLIENT_ID,
        item_id: null,
        owner: null,
        app_type: 'browser',
        redirect_uris: '[]',
        http_referrers: '[]',
        secret_hash: null,
        registered: now,
        modified: now,
      })
      .onConflict((oc) => oc.column('client_id').doNothing())
      .execute();
  }

  /** Registers an app for an item; the secret is in the answer and nowhere else. Call inside a transaction. */
  async register(db: Kysely<Database>, app: NewApp): Promise<{ app: OAuthApp; clientSecret: string }> {
    const clientSecret = newClientSecret();
    const now = this.#now();
    const row: AppRow = {
      client_id: newClientId(),
      item_id: app.itemId,
      owner: app.owner,
      app_type: app.appType,
      redirect_uris: JSON.stringify(app.redirectUris),
      http_referrers: JSON.stringify(app.httpReferrers),
      secret_hash: hashSecret(clientSecret),
      registered: now,
      modified: now,
    };
    await db.insertInto('oauth_apps').values(row).execute();
    return { app: this.#toApp(row), clientSecret };
  }

  /** Changes an app's type, redirect URIs or referrers (already validated). */
  async update(
    clientId: string,
    changes: AppChanges,
    db: Kysely<Database> = this.#db,
  ): Promise<OAuthApp | undefined> {
    const set: Partial<AppRow> = { modified: this.#now() };
    if (changes.appType !== undefined) set.app_type = changes.appType;
    if (changes.redirectUris !== undefined) set.redirect_uris = JSON.stringify(changes.redirectUris);
    if (changes.httpReferrers !== undefined) set.http_referrers = JSON.stringify(changes.httpReferrers);
    await db.updateTable('oauth_apps').set(set).where('client_id', '=', clientId).execute();
    return this.find(clientId, db);
  }

  /** A new secret for an app that has one; the old one stops verifying at once. */
  async rotateSecret(clientId: string): Promise<{ app: OAuthApp; clientSecret: string } | undefined> {
    const clientSecret = newClientSecret();
    const result = await this.#db
      .updateTable('oauth_apps')
      .set({ secret_hash: hashSecret(clientSecret), modified: this.#now() })
      .where('client_id', '=', clientId)
      .where('secret_hash', 'is not', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return undefined;
    for (const hook of this.#rotatedHooks) await hook(clientId);
    const app = await this.find(clientId);
    return app ? { app, clientSecret } : undefined;
  }

  /** Removes an app (call inside a transaction); runs the removal hooks. Whether it existed. */
  async remove(db: Kysely<Database>, clientId: string): Promise<boolean> {
    for (const hook of this.#removedHooks) await hook(db, clientId);
    const result = await db.deleteFrom('oauth_apps').where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Removes the app registered for an item, if any (content's item-deletion hook). */
  async removeForItem(db: Kysely<Database>, itemId: string): Promise<void> {
    const row = await db
      .selectFrom('oauth_apps')
      .select('client_id')
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    if (row) await this.remove(db, row.client_id);
  }
}
