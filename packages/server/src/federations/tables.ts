/**
 * A federation: where its metadata comes from, the certificate that signs it, and the state of
 * its refresh. `generation` is the generation of federation_idps rows in use (null before the
 * first good ingest); an ingest writes the next one aside and switches in one transaction.
 */
export interface FederationsTable {
  id: string;
  name: string;
  metadata_url: string;
  /** Base URL of an MDQ service for the same federation (GET <mdq>/entities/<id>). */
  mdq_url: string | null;
  /** The federation's signing certificates, PEM (one or more, for a rollover). */
  signing_certs_pem: string;
  discovery_url: string | null;
  generation: number | null;
  /** The metadata in use: validUntil, cacheDuration (ms), counts, digest, when it was fetched. */
  valid_until: number | null;
  cache_duration_ms: number | null;
  entity_count: number;
  idp_count: number;
  metadata_bytes: number;
  last_success: number | null;
  /** The last attempt (good or not) and, when it failed, why (code and message). */
  last_attempt: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  /** When the next scheduled refresh is due; a node claims it by moving it (the lease). */
  next_refresh: number;
  refresh_lease_owner: string | null;
  refresh_lease_expires: number | null;
  created: number;
  modified: number;
}

/** An identity provider of a federation's metadata, in one generation. `record` is JSON (IdpRecord). */
export interface FederationIdpsTable {
  federation_id: string;
  generation: number;
  entity_id: string;
  display_name: string;
  record: string;
}

/** The discovery search index: the terms of each identity provider of a generation (search/terms.ts). */
export interface FederationIdpTermsTable {
  federation_id: string;
  generation: number;
  term: string;
  entity_id: string;
}

/**
 * The MDQ cache (mdq/): an entity fetched from the federation's metadata query service, verified.
 * `record` null: the service does not know it, or it is not an identity provider (negative).
 */
export interface FederationMdqEntitiesTable {
  federation_id: string;
  entity_id: string;
  record: string | null;
  /** The EntityDescriptor's validUntil (epoch ms); null for a negative entry. */
  valid_until: number | null;
  /** When to ask the service again (cacheDuration, bounded; short for a negative entry). */
  refresh_after: number;
  fetched: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    federations: FederationsTable;
    federation_idps: FederationIdpsTable;
    federation_idp_terms: FederationIdpTermsTable;
    federation_mdq_entities: FederationMdqEntitiesTable;
  }
}
