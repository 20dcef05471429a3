import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { canonicalRedirectUri, parseRegisteredRedirectUris } from './redirect-uris.ts';
import { PORTAL_CLIENT_ID } from './registry.ts';
import type { AppStore } from './store.ts';

/**
 * The built-in arcgisonline client's redirect URIs as other modules change them (a federated
 * GIS server's URL is added when it is federated and removed when it is unfederated), checked
 * as updateAppInfo checks them. Pass a transaction as `db` to change them with other writes.
 */
export interface PortalClientRedirects {
  add(uri: string, db?: Kysely<Database>): Promise<void>;
  remove(uri: string, db?: Kysely<Database>): Promise<void>;
}

export function portalClientRedirects(apps: AppStore): PortalClientRedirects {
  const stored = async (db: Kysely<Database> | undefined) => {
    const app = await apps.find(PORTAL_CLIENT_ID, db);
    return app ? apps.withoutPortalCallback(app.redirectUris) : [];
  };
  return {
    async add(uri, db) {
      const uris = parseRegisteredRedirectUris([...(await stored(db)), uri], 'browser');
      await apps.update(PORTAL_CLIENT_ID, { redirectUris: uris }, db);
    },
    async remove(uri, db) {
      const gone = canonicalRedirectUri(uri);
      const before = await stored(db);
      const after = before.filter((u) => canonicalRedirectUri(u) !== gone);
      if (after.length !== before.length) await apps.update(PORTAL_CLIENT_ID, { redirectUris: after }, db);
    },
  };
}
