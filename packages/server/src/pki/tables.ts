export interface PkiLocalCaTable {
  id: string;
  cert_pem: string;
  key_sealed: string;
  created: number;
}

export interface PkiCertificatesTable {
  alias: string;
  cert_pem: string;
  chain_pem: string;
  key_sealed: string | null;
  issued_by_local_ca: number;
  names: string;
  not_after: number;
  created: number;
  modified: number;
}

export interface PkiTrustStoreTable {
  alias: string;
  cert_pem: string;
  /** SHA-256 fingerprint, "AB:CD:…" as openssl prints it; one entry per certificate. */
  sha256: string;
  subject: string;
  not_after: number;
  created: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    pki_local_ca: PkiLocalCaTable;
    pki_certificates: PkiCertificatesTable;
    pki_trust_store: PkiTrustStoreTable;
  }
}
