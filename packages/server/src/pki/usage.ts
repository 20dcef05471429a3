import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';

/** The stored certificates the listeners serve: by default, and per SNI host name. */
export interface CertificateAssignments {
  webServerCertificateAlias: string;
  sniCertificates: Record<string, string>;
}

/** What the listeners serve and how, as the certificate list shows it (ArcGIS sslCertificates). */
export interface ListenerSettings extends CertificateAssignments {
  sslProtocols: string[];
  cipherSuites: string[];
  HSTSEnabled: boolean;
  httpsRequiredPaths: string[];
}

/**
 * How pki learns which certificates are in use (to refuse deleting one, to reload after a
 * renewal). The tls module answers it; pki does not depend on tls. `db` lets the answer be read
 * inside a transaction of the caller.
 */
export interface CertificateUsage {
  assignments(db?: Kysely<Database>): Promise<ListenerSettings>;
}
