/**
 * The federation's durable outbox: portal calls (register/unregister a service) that must not
 * be lost while the portal is down. The federation itself is one gis_server_settings row.
 */
export interface GisFederationOutboxTable {
  id: string;
  /** 'register' | 'unregister'. */
  action: string;
  /** The service's URL on this server: what the portal keys its item by. */
  service_url: string;
  /** JSON: what the call needs besides the URL (folder, name, type, owner, title). */
  payload: string;
  attempts: number;
  next_attempt: number;
  last_error: string | null;
  lease_owner: string | null;
  lease_expires: number | null;
  created: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    gis_federation_outbox: GisFederationOutboxTable;
  }
}
