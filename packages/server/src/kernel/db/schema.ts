import type { SearchDocsTable, SearchTermsTable } from '../../content/search/tables.ts';
import type {
  FoldersTable,
  GroupMembersTable,
  GroupsTable,
  ItemSharesTable,
  ItemsTable,
} from '../../content/tables.ts';
import type { SignInKnownAddressesTable, SignInThrottleTable, UsersTable } from '../../identity/tables.ts';
import type { PkiCertificatesTable, PkiLocalCaTable, PkiTrustStoreTable } from '../../pki/tables.ts';
import type { TlsTicketKeysTable } from '../../tls/tables.ts';
import type { TokenSigningKeysTable, WebSessionsTable } from '../../tokens/tables.ts';
import type { BusEventsTable } from '../bus/tables.ts';

export interface PortalSettingsTable {
  key: string;
  value: string;
  modified: number;
}

/** Every table, for Kysely's types. Each domain folder declares its own in tables.ts. */
export interface Database {
  portal_settings: PortalSettingsTable;
  pki_local_ca: PkiLocalCaTable;
  pki_certificates: PkiCertificatesTable;
  pki_trust_store: PkiTrustStoreTable;
  users: UsersTable;
  sign_in_throttle: SignInThrottleTable;
  sign_in_known_addresses: SignInKnownAddressesTable;
  token_signing_keys: TokenSigningKeysTable;
  web_sessions: WebSessionsTable;
  tls_ticket_keys: TlsTicketKeysTable;
  bus_events: BusEventsTable;
  folders: FoldersTable;
  items: ItemsTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  item_shares: ItemSharesTable;
  item_terms: SearchTermsTable;
  search_docs: SearchDocsTable;
}
