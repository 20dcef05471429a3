export type Role = 'org_admin' | 'org_publisher' | 'org_user';

export interface UsersTable {
  id: string;
  username: string;
  username_lower: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  description: string;
  role: Role;
  /** 'arcgis' (built-in account, with a password) or 'enterprise' (SAML; never a password). */
  provider: string;
  /** Enterprise accounts: the NameID the identity provider asserts for them. */
  idp_username: string | null;
  /**
   * Enterprise accounts: the entity ID of the identity provider that vouches for them; with
   * idp_username unique. Null: pre-registered without one (ArcGIS clients send only
   * idpUsername), bound to the IdP of a single-IdP login at the first sign-in.
   */
  idp_entity_id: string | null;
  disabled: number;
  password_hash: string | null;
  /** Raised to revoke every token the user holds (sign-out, password, role, disable). */
  token_epoch: number;
  last_login: number;
  created: number;
  modified: number;
}

/**
 * Sign-in attempts counted in a window (sign-in-throttle.ts). scope 'pair': one account from
 * one client address; 'addr': one client address, any account (username ''); 'acct': one
 * account from every address (address '').
 */
export interface SignInThrottleTable {
  scope: 'pair' | 'addr' | 'acct';
  /** usernameKey() of the name tried, whether or not such a user exists. */
  username: string;
  address: string;
  attempts: number;
  window_start: number;
  /** While in the future, attempts are refused without checking a password. */
  locked_until: number;
}

/** Client addresses an account has signed in from; they are not locked out by 'acct'. */
export interface SignInKnownAddressesTable {
  username: string;
  address: string;
  last_success: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    users: UsersTable;
    sign_in_throttle: SignInThrottleTable;
    sign_in_known_addresses: SignInKnownAddressesTable;
  }
}
