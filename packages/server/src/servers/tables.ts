/**
 * A GIS server federated with this portal. `id` is the portal's id for it (the server's
 * `serverId` in its portal properties, `fs<id>` the key id of its server tokens); `remote_id`
 * is the server's own id. `secret_sealed` is the shared secret (32 random bytes, base64url),
 * sealed with the secrets box; it signs server tokens and the server's calls to the portal.
 */
export interface FederatedServersTable {
  id: string;
  name: string;
  /** The services URL root, e.g. https://gis.example.com:6443/arcgis (host lower-cased). */
  url: string;
  /** What serverUrl is matched on: https://host:port/context (see server-url.ts). */
  url_key: string;
  admin_url: string;
  remote_id: string;
  /** HOSTING_SERVER | FEDERATED_SERVER | FEDERATED_SERVER_WITH_RESTRICTED_PUBLISHING. */
  server_role: string;
  /** Comma-separated functions, possibly empty. */
  server_function: string;
  secret_sealed: string;
  /** The administrator who federated it: owner of its service items by default. */
  federated_by: string;
  /** The trust-store alias this federation added (null when the server was already trusted). */
  trust_alias: string | null;
  /** SHA-256 of the server's certificate when last seen (validate tells a renewal from a new CA). */
  cert_fingerprint: string | null;
  created: number;
  modified: number;
}

/**
 * A service the portal must delete on its server because its item was deleted: written inside
 * the item's deleting transaction, sent after it committed, retried until the server answers.
 */
export interface FederatedServiceDeletionsTable {
  id: string;
  server_id: string;
  item_id: string;
  service_url: string;
  /** Who the deletion is recorded for (the item's owner): `sub` of the admin server token. */
  requested_by: string;
  attempts: number;
  next_attempt: number;
  last_error: string | null;
  created: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    federated_servers: FederatedServersTable;
    federated_service_deletions: FederatedServiceDeletionsTable;
  }
}
