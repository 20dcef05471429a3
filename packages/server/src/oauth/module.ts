import type { ContentApi } from '../content/module.ts';
import type { IdentityApi } from '../identity/module.ts';
import { defineModule } from '../kernel/module.ts';
import type { PortalApi } from '../portal/module.ts';
import type { TokensApi } from '../tokens/module.ts';
import * as appsMigration from './apps/migration.ts';
import type { AppRegistry } from './apps/registry.ts';
import { registerAppRoutes } from './apps/routes.ts';
import { AppStore } from './apps/store.ts';
import type { OAuthContext } from './context.ts';

export type { AppType, OAuthApp } from './apps/registry.ts';
export type { AppRegistry };

/** OAuth 2.0 as ArcGIS portals have it: registered apps, and the authorization flow. */
export interface OAuthApi {
  /** The registered apps, as the authorization flow reads them. */
  readonly apps: AppRegistry;
}

/** Reads an app's item as the portal itself (no caller): only for its title. */
const INTERNAL = { username: null, isAdmin: true };

export const oauthModule = defineModule<
  OAuthApi,
  { identity: IdentityApi; tokens: TokensApi; portal: PortalApi; content: ContentApi }
>({
  name: 'oauth',
  tables: ['oauth_apps'],
  migrations: { '0018_oauth_apps': appsMigration },
  settings: [],
  async create(kernel, deps) {
    const apps = new AppStore(
      kernel.db.kysely,
      () => kernel.baseUrl(),
      () => kernel.clock.now(),
      async (db, itemId) => (await deps.content.items.get(db, itemId, INTERNAL))?.title,
    );
    const ctx: OAuthContext = { ...kernel, ...deps, apps };
    await apps.ensureBuiltIn();
    deps.content.items.onItemDelete((trx, itemId) => apps.removeForItem(trx, itemId));
    return {
      api: { apps },
      routes: (app) => {
        registerAppRoutes(app, ctx);
      },
    };
  },
});
