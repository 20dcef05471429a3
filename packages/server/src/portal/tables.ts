/** Organisation settings (portals/self/update), one JSON value per key. */
export interface PortalSettingsTable {
  key: string;
  value: string;
  modified: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    portal_settings: PortalSettingsTable;
  }
}
