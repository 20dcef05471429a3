/** An authorization request in progress: its id is the sign-in page's oauth_state. */
export interface OAuthAuthorizationsTable {
  id: string;
  client_id: string;
  redirect_uri: string;
  response_type: 'code' | 'token';
  state: string | null;
  code_challenge: string | null;
  expiration_minutes: number | null;
  /** For the out-of-band redirect: the code, sealed, until the approval page shows it once. */
  oob_code_sealed: string | null;
  created: number;
  expires: number;
}

/** What one authorization issued: revoking it stops its codes, refresh and access tokens. */
export interface OAuthGrantsTable {
  id: string;
  client_id: string;
  user_id: string;
  created: number;
  /** Until when anything issued under it may live (its revocation is remembered until then). */
  expires: number;
  revoked: number | null;
}

export interface OAuthCodesTable {
  code_hash: string;
  grant_id: string;
  client_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string | null;
  expiration_minutes: number | null;
  created: number;
  expires: number;
  used: number | null;
}

export interface OAuthRefreshTokensTable {
  token_hash: string;
  grant_id: string;
  client_id: string;
  user_id: string;
  /** The user's token epoch when issued: raising it (password change, disable…) revokes it. */
  user_epoch: number;
  created: number;
  expires: number;
  revoked: number | null;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    oauth_authorizations: OAuthAuthorizationsTable;
    oauth_grants: OAuthGrantsTable;
    oauth_codes: OAuthCodesTable;
    oauth_refresh_tokens: OAuthRefreshTokensTable;
  }
}
