import { defineModule } from '../kernel/module.ts';
import type { PkiApi } from '../pki/module.ts';
import type { TlsApi } from '../tls/module.ts';
import type { TokensApi } from '../tokens/module.ts';
import { registerGisAdminRoutes } from './admin/routes.ts';
import { federationCommand } from './federation/commands.ts';
import { connectServices } from './federation/connect-services.ts';
import { corsSettings, registerRestCors } from './federation/cors.ts';
import { createGisFederation, type GisFederationApi } from './federation/create-federation.ts';
import * as federationMigration from './federation/migration.ts';
import * as outboxStateMigration from './federation/migration-outbox-state.ts';
import { withPortalRegistrationReport } from './federation/publish-report.ts';
import * as migration from './migration.ts';
import { registerGisServerRoutes } from './routes.ts';
import { ensureServerId } from './server-id.ts';
import { registerAdminJobRoutes } from './services/admin-jobs-routes.ts';
import { registerServiceAdminRoutes } from './services/admin-routes.ts';
import { servicesCommands } from './services/commands.ts';
import { openServicesStore } from './services/engine.ts';
import { createFeatureServices, type FeatureServices } from './services/feature-services.ts';
import * as servicesMigration from './services/migration.ts';
import { registerPublishJob } from './services/publish-job.ts';
import { registerServiceRestRoutes } from './services/rest-routes.ts';
import { gisServerSettings } from './settings.ts';

/** The GIS server role's own surface: rest/info, its feature services, its token service. */
export interface GisServerApi {
  /** The server's id (made on its first start). */
  readonly serverId: string;
  /** Its feature services: catalog, publishing, deletion, the access policy and lifecycle hooks. */
  readonly services: FeatureServices;
  /** Its federation with a portal (security/config, the portal's tokens, service items). */
  readonly federation: GisFederationApi;
}

export const gisServerModule = defineModule<
  GisServerApi,
  { tokens: Pick<TokensApi, 'generateToken'>; pki: PkiApi; tls: TlsApi }
>({
  name: 'gis-server',
  tables: ['gis_server_settings', 'gis_services', 'gis_federation_outbox'],
  migrations: {
    '0016_gis_server': migration,
    '0027_gis_services': servicesMigration,
    '0030_gis_federation': federationMigration,
    '0031_gis_federation_outbox_state': outboxStateMigration,
  },
  settings: [...gisServerSettings, ...corsSettings],
  // publish also reports its service's registration at the portal (federated servers).
  commands: [
    ...servicesCommands.map((c) =>
      c.name === 'publish' ? withPortalRegistrationReport<GisServerApi>(c) : c,
    ),
    federationCommand,
  ],
  async create(kernel, deps) {
    const serverId = await ensureServerId(kernel);
    const store = await openServicesStore(kernel.config, (err) =>
      kernel.log.warn(
        { err: err.message },
        'feature store: a PostgreSQL connection failed; the next query reconnects',
      ),
    );
    const services = createFeatureServices(kernel, store);
    registerPublishJob(kernel, services);
    const federation = await createGisFederation(kernel, {
      serverId,
      trust: deps.pki.trust,
      outbound: () => deps.pki.outbound.client(),
    });
    connectServices(federation.api, services);
    return {
      api: { serverId, services, federation: federation.api },
      start: async () => {
        await services.start();
        await federation.start();
      },
      stop: async () => {
        await federation.stop();
        services.stop();
        await store.close();
      },
      routes: (app) => {
        registerGisServerRoutes(app, { kernel, tokens: deps.tokens, federation: federation.api });
        registerServiceRestRoutes(app, services);
        registerServiceAdminRoutes(app, { kernel, services });
        registerAdminJobRoutes(app, kernel.jobs);
        federation.routes(app);
        registerRestCors(app, {
          status: federation.api.status,
          allowedOrigins: kernel.config.cors.allowedOrigins,
        });
        registerGisAdminRoutes(app, { kernel, pki: deps.pki, tls: deps.tls });
      },
    };
  },
});
