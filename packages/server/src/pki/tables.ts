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
