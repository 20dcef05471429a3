/** The organisation's SAML login; settings, idp and federation are JSON (see logins/login.ts). */
export interface SamlLoginsTable {
  id: string;
  /** Always 'self': unique, so an organisation has one login. */
  org: string;
  kind: 'idp' | 'federation';
  name: string;
  sp_entity_id: string | null;
  settings: string;
  idp: string | null;
  federation: string | null;
  created: number;
  modified: number;
}

/** A key of the service provider: 'active' signs, 'next' is published beside it during a rollover. */
export interface SamlSpKeysTable {
  alias: string;
  state: 'active' | 'next';
  created: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    saml_logins: SamlLoginsTable;
    saml_sp_keys: SamlSpKeysTable;
  }
}
