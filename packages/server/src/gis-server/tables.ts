export interface GisServerSettingsTable {
  key: string;
  value: string;
  modified: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    gis_server_settings: GisServerSettingsTable;
  }
}
