/**
 * A portal sign-in made through SAML: who the IdP said it was and in which IdP session, so that
 * signing out can tell the IdP and the IdP's logout can end it. Recorded under the OAuth grant
 * the sign-in made; session_id is set when the web UI opens its web session from that grant.
 */
export interface SamlSessionsTable {
  grant_id: string;
  /** The web session (tokens module) opened from the grant; null until then (and for app sign-ins). */
  session_id: string | null;
  login: string;
  idp_entity_id: string;
  name_id: string;
  name_id_format: string | null;
  session_index: string | null;
  user_id: string;
  created: number;
  expires: number;
}

/** A LogoutRequest this portal sent: the IdP's LogoutResponse answers it, once. */
export interface SamlLogoutRequestsTable {
  id: string;
  login: string;
  idp_entity_id: string;
  /** Where the browser goes after the LogoutResponse (a redirect URI registered for the app), if anywhere. */
  return_to: string | null;
  created: number;
  expires: number;
  answered: number | null;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    saml_sessions: SamlSessionsTable;
    saml_logout_requests: SamlLogoutRequestsTable;
  }
}
