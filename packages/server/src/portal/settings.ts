import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';
import type { DefaultBasemapJson } from './schemas.ts';
import { PORTAL_SETTINGS_TOPIC } from './topics.ts';

/** Who sees a new item added through the web UI's Add item form (before its owner changes it). */
export const DEFAULT_ITEM_ACCESS = ['private', 'org', 'public'] as const;
export type DefaultItemAccess = (typeof DEFAULT_ITEM_ACCESS)[number];

/** Organisation settings that portals/self/update may change, with their defaults. */
export interface PortalSettings {
  id: string;
  name: string;
  description: string;
  maxTokenExpirationMinutes: number;
  defaultTokenExpirationMinutes: number;
  allSSL: boolean;
  defaultItemAccess: DefaultItemAccess;
  /** Built-in accounts may sign in with a password (off: only the SAML login; see identity). */
  canSignInArcGIS: boolean;
  canSignInIDP: boolean;
  /** The SAML login's name (set by the saml module with canSignInIDP); '' without one. */
  idpName: string;
  /** Built-in accounts may be created (Meridian's setting; off: SAML accounts only). */
  allowBuiltInAccounts: boolean;
  /** Origins of browser apps that may call the Sharing API cross-origin; empty: every origin. */
  allowedOrigins: string[];
  /** The basemap of item maps (ArcGIS's defaultBasemap); null: none, the maps work offline. */
  defaultBasemap: DefaultBasemapJson | null;
  created: number;
}

const DEFAULTS: Omit<PortalSettings, 'id' | 'created'> = {
  name: 'Meridian',
  description: '',
  maxTokenExpirationMinutes: 20160,
  defaultTokenExpirationMinutes: 120,
  allSSL: true,
  defaultItemAccess: 'private',
  canSignInArcGIS: true,
  canSignInIDP: false,
  idpName: '',
  allowBuiltInAccounts: true,
  allowedOrigins: [],
  defaultBasemap: null,
};

export const MAX_TOKEN_EXPIRATION_LIMIT = 20160;

const TOPIC = PORTAL_SETTINGS_TOPIC;

/**
 * Reads and writes portal settings; every node keeps them in memory and reloads them when the
 * change bus says they changed.
 */
export class PortalSettingsStore {
  #cache: PortalSettings | undefined;
  readonly #ctx: Pick<Kernel, 'db' | 'bus'>;

  constructor(ctx: Pick<Kernel, 'db' | 'bus'>) {
    this.#ctx = ctx;
    ctx.bus.watch(TOPIC, () => {
      this.#cache = undefined;
    });
  }

  async get(): Promise<PortalSettings> {
    if (this.#cache) return this.#cache;
    const rows = await this.#ctx.db.kysely.selectFrom('portal_settings').selectAll().execute();
    const stored: Record<string, unknown> = {};
    for (const r of rows) stored[r.key] = JSON.parse(r.value);
    if (stored.id === undefined) {
      await this.update({
        id: randomBytes(8).toString('hex'),
        created: Date.now(),
      } as Partial<PortalSettings>);
      return this.get();
    }
    this.#cache = { ...DEFAULTS, ...stored } as PortalSettings;
    return this.#cache;
  }

  async update(changes: Partial<PortalSettings>): Promise<void> {
    // Built-in sign-in is off only while a SAML login exists: when the login goes (the saml
    // module clears canSignInIDP), built-in sign-in comes back on, or nobody could sign in.
    if (changes.canSignInIDP === false) changes = { ...changes, canSignInArcGIS: true };
    const now = Date.now();
    await this.#ctx.db.kysely.transaction().execute(async (trx) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) continue;
        const json = JSON.stringify(value);
        await trx
          .insertInto('portal_settings')
          .values({ key, value: json, modified: now })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, modified: now }))
          .execute();
      }
    });
    this.#cache = undefined;
    await this.#ctx.bus.publish(TOPIC, {});
  }
}
