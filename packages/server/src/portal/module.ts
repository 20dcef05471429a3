import { defineModule } from '../kernel/module.ts';
import { basemapOrigins } from './basemap-url.ts';
import { portalAllowBuiltInSignIn } from './commands.ts';
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
  /** The origins the basemap's tiles come from (the web UI's img-src); none without a basemap. */
  basemapOrigins(): Promise<string[]>;
}

/** What the portal asks of modules created after it (late-bound by the composition root). */
export interface PortalDeps {
  /**
   * Why built-in sign-in must not be turned off now (no enabled administrator could sign in
   * through SAML), or undefined when it may be. Absent: it may never be turned off.
   */
  builtInSignInOffBlocker?: () => Promise<string | undefined>;
}

export const portalModule = defineModule<PortalApi, PortalDeps>({
  name: 'portal',
  tables: ['portal_settings'],
  migrations: { '0001_core': core },
  settings: [],
  commands: [portalAllowBuiltInSignIn],
  async create(kernel, deps) {
    const settings = new PortalSettingsStore(kernel);
    // The first read stores the organisation's id, so every node agrees on it from the start.
    await settings.get();
    return {
      api: {
        settings,
        orgId: async () => (await settings.get()).id,
        basemapOrigins: async () => basemapOrigins((await settings.get()).defaultBasemap),
      },
      routes: (app) =>
        registerPortalRoutes(app, {
          kernel,
          settings,
          builtInSignInOffBlocker: deps.builtInSignInOffBlocker,
        }),
    };
  },
});
