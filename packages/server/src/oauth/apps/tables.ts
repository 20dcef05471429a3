import type { AppType } from './registry.ts';

export interface OAuthAppsTable {
  client_id: string;
  /** The Application item it was registered for (unique); null for the built-in client. */
  item_id: string | null;
  /** The item owner's username at registration; null for the built-in client. */
  owner: string | null;
  app_type: AppType;
  /** JSON array of strings, as registered (arcgisonline: the stored list, without the derived callback). */
  redirect_uris: string;
  /** JSON array of strings. */
  http_referrers: string;
  /** SHA-256 (hex) of the client secret; null when the app has none (arcgisonline). */
  secret_hash: string | null;
  registered: number;
  modified: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    oauth_apps: OAuthAppsTable;
  }
}
