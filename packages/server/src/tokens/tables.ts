export interface TokenSigningKeysTable {
  kid: string;
  secret_sealed: string;
  created: number;
  retire_after: number;
}
