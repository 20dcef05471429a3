import { defineModule } from '../kernel/module.ts';
import * as core from './migration.ts';
import { registerPortalRoutes } from './routes.ts';
import { MAX_TOKEN_EXPIRATION_LIMIT, type PortalSettings, PortalSettingsStore } from './settings.ts';

export type { PortalSettings, PortalSettingsStore };
export { MAX_TOKEN_EXPIRATION_LIMIT };

/** The organisation: its settings (portals/self), the Sharing API root and info. */
export interface PortalApi {
  readonly settings: PortalSettingsStore;
  /** The organisation's id (orgId in every item, user and group answer). */
  orgId(): Promise<string>;
}

export const portalModule = defineModule<PortalApi>({
  name: 'portal',
  tables: ['portal_settings'],
  migrations: { '0001_core': core },
  settings: [],
  async create(kernel) {
    const settings = new PortalSettingsStore(kernel);
    // The first read stores the organisation's id, so every node agrees on it from the start.
    await settings.get();
    return {
      api: { settings, orgId: async () => (await settings.get()).id },
      routes: (app) => registerPortalRoutes(app, { kernel, settings }),
    };
  },
});
