/** An AuthnRequest this portal sent; answered once (answered: when). */
export interface SamlRequestsTable {
  id: string;
  login: string;
  oauth_transaction: string;
  idp_entity_id: string | null;
  created: number;
  expires: number;
  answered: number | null;
}

/** An assertion ID already used, until its assertion expires. */
export interface SamlReplayTable {
  idp_entity_id: string;
  assertion_id: string;
  expires: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    saml_requests: SamlRequestsTable;
    saml_replay: SamlReplayTable;
  }
}
