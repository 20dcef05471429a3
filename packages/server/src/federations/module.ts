import { defineModule } from '../kernel/module.ts';
import { federationCommands } from './commands.ts';
import * as mdqMigration from './mdq/migration.ts';
import * as migration from './migration.ts';
import { registerFederationRoutes } from './routes.ts';
import * as searchMigration from './search/migration.ts';
import {
  createFederationsService,
  type FederationsService,
  type OutboundPort,
  startSchedule,
} from './service.ts';
import { federationSettings } from './settings.ts';

export type { Endpoint, IdpRecord } from './ingest/idp-record.ts';
export type { Federation, FederationsService, OutboundPort } from './service.ts';
export { REFRESH_JOB } from './service.ts';

/** The federations' public API: their sources, refresh (jobs), and the identity providers in use. */
export type FederationsApi = FederationsService;

/**
 * Identity federations: signed metadata aggregates fetched through the guarded outbound client,
 * verified while they stream (exclusive canonicalisation and digest as the parser reads, never
 * a tree of the document), their identity providers indexed into a new generation switched to
 * atomically; refreshed as cacheDuration says, by one node (a lease), as jobs with progress.
 * An identity provider not in the aggregate (or every one, for a federation without one) is
 * asked of the federation's MDQ service, verified the same way, and cached (mdq/).
 */
export const federationsModule = defineModule<FederationsApi, { outbound: OutboundPort }>({
  name: 'federations',
  tables: ['federations', 'federation_idps', 'federation_idp_terms', 'federation_mdq_entities'],
  migrations: {
    '0022_federations': migration,
    '0025_federation_search': searchMigration,
    '0026_federation_mdq': mdqMigration,
  },
  settings: federationSettings,
  commands: federationCommands,
  create(kernel, deps) {
    const service = createFederationsService(kernel, deps.outbound);
    let stopSchedule: (() => void) | undefined;
    return {
      api: service,
      routes: (app) => registerFederationRoutes(app, service),
      start() {
        stopSchedule = startSchedule(kernel, service);
      },
      stop() {
        stopSchedule?.();
      },
    };
  },
});
