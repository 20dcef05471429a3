/**
 * The federation's durable outbox: portal calls (register/unregister a service) that must not
 * be lost while the portal is down. The federation itself is one gis_server_settings row.
 */
export interface GisFederationOutboxTable {
  id: string;
  /** 'register' | 'unregister'. */
  action: string;
  /** folder/name/type in lower case: the latest call for a service replaces one still waiting. */
  service_key: string;
  /** JSON: the service (folder, name, type, title, owner); its URL is made by the node that delivers. */
  payload: string;
  /** 'pending' (delivered or retried) | 'failed' (the portal refused it: kept, not retried). */
  state: string;
  attempts: number;
  next_attempt: number;
  last_error: string | null;
  /** The error code of the last failure (its fix is in the error catalogue). */
  error_code: string | null;
  lease_owner: string | null;
  lease_expires: number | null;
  created: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    gis_federation_outbox: GisFederationOutboxTable;
  }
}
