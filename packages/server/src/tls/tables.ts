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

/** The HTTPS settings (one row, id 'current'), as JSON. */
export interface TlsSettingsTable {
  id: string;
  value: string;
  modified: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    tls_settings: TlsSettingsTable;
  }
}
