/** The services catalog's table: one row per feature service this server hosts. */
export interface GisServicesTable {
  /** Stable id; also the feature store's service key. */
  id: string;
  /** '' for the root folder. */
  folder: string;
  name: string;
  /** lower(folder) + '/' + lower(name): names are unique case-insensitively. */
  name_key: string;
  type: string;
  title: string;
  description: string;
  owner: string;
  portal_item_id: string | null;
  access: string;
  max_record_count: number;
  created: number;
  modified: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    gis_services: GisServicesTable;
  }
}
