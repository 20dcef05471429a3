import { defineModule } from '../kernel/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { TlsApi } from '../tls/module.ts';
import type { TokensApi } from '../tokens/module.ts';
import { registerGisAdminRoutes } from './admin/routes.ts';
import { federationCommand } from './federation/commands.ts';
import { createGisFederation, type GisFederationApi } from './federation/create-federation.ts';
import * as federationMigration from './federation/migration.ts';
import * as migration from './migration.ts';
import { registerGisServerRoutes } from './routes.ts';
import { ensureServerId } from './server-id.ts';
import { gisServerSettings } from './settings.ts';

/** The GIS server role's own surface: rest/info, the services directory, its token service. */
export interface GisServerApi {
  /** The server's id (made on its first start). */
  readonly serverId: string;
  /** Its federation with a portal (security/config, the portal's tokens, service items). */
  readonly federation: GisFederationApi;
}

export const gisServerModule = defineModule<
  GisServerApi,
  { tokens: Pick<TokensApi, 'generateToken'>; pki: PkiApi; tls: TlsApi }
>({
  name: 'gis-server',
  tables: ['gis_server_settings', 'gis_federation_outbox'],
  migrations: { '0016_gis_server': migration, '0030_gis_federation': federationMigration },
  settings: gisServerSettings,
  commands: [federationCommand],
  async create(kernel, deps) {
    const serverId = await ensureServerId(kernel);
    const federation = await createGisFederation(kernel, {
      serverId,
      trust: deps.pki.trust,
      outbound: () => deps.pki.outbound.client(),
    });
    return {
      api: { serverId, federation: federation.api },
      start: () => federation.start(),
      stop: () => federation.stop(),
      routes: (app) => {
        registerGisServerRoutes(app, { kernel, tokens: deps.tokens, federation: federation.api });
        federation.routes(app);
        registerGisAdminRoutes(app, { kernel, pki: deps.pki, tls: deps.tls });
      },
    };
  },
});
