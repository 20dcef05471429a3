export interface TlsTicketKeysTable {
  id: string;
  key_sealed: string;
  created: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    tls_ticket_keys: TlsTicketKeysTable;
  }
}
