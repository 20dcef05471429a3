export interface TokenSigningKeysTable {
  kid: string;
  secret_sealed: string;
  created: number;
  retire_after: number;
}

/** A web UI session; its id travels inside the session cookie's token. */
export interface WebSessionsTable {
  id: string;
  user_id: string;
  created: number;
  expires: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    token_signing_keys: TokenSigningKeysTable;
    web_sessions: WebSessionsTable;
  }
}
