/** What the OAuth flow needs of the registered apps (apps/store.ts implements it). */

export type AppType = 'browser' | 'native' | 'server' | 'multiple';

/** The out-of-band redirect: the code is shown on the portal's oauth2/approval page. */
export const OOB_REDIRECT = 'urn:ietf:wg:oauth:2.0:oob';

/** The portal's own client (its web UI, and federated GIS servers' sign-in). */
export const PORTAL_CLIENT_ID = 'arcgisonline';

export interface OAuthApp {
  clientId: string;
  /** The Application item it was registered for; null for the built-in arcgisonline. */
  itemId: string | null;
  /** The item owner's username; null for the built-in client. */
  owner: string | null;
  appType: AppType;
  redirectUris: readonly string[];
  httpReferrers: readonly string[];
  /** Whether a client secret exists (confidential use: token requests may authenticate with it). */
  hasSecret: boolean;
  registered: number;
  modified: number;
  /** The title of its item at lookup (for the sign-in and approval pages); undefined for the built-in client. */
  title?: string;
}

export interface AppRegistry {
  /** The app with this client_id, or undefined. */
  find(clientId: string): Promise<OAuthApp | undefined>;
  /** Whether `secret` is the app's current client secret (constant time). */
  verifySecret(clientId: string, secret: string): Promise<boolean>;
}
