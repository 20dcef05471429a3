export interface TlsTicketKeysTable {
  id: string;
  key_sealed: string;
  created: number;
}
