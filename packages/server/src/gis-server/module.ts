import { defineModule } from '../kernel/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { TlsApi } from '../tls/module.ts';
import type { TokensApi } from '../tokens/module.ts';
import { registerGisAdminRoutes } from './admin/routes.ts';
import * as migration from './migration.ts';
import { registerGisServerRoutes } from './routes.ts';
import { ensureServerId } from './server-id.ts';
import { gisServerSettings } from './settings.ts';

/** The GIS server role's own surface: rest/info, the services directory, its token service. */
export interface GisServerApi {
  /** The server's id (made on its first start). */
  readonly serverId: string;
}

export const gisServerModule = defineModule<
  GisServerApi,
  { tokens: Pick<TokensApi, 'generateToken'>; pki: PkiApi; tls: TlsApi }
>({
  name: 'gis-server',
  tables: ['gis_server_settings'],
  migrations: { '0016_gis_server': migration },
  settings: gisServerSettings,
  async create(kernel, deps) {
    return {
      api: { serverId: await ensureServerId(kernel) },
      routes: (app) => {
        registerGisServerRoutes(app, { kernel, tokens: deps.tokens });
        registerGisAdminRoutes(app, { kernel, pki: deps.pki, tls: deps.tls });
      },
    };
  },
});
