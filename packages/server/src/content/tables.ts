export type Access = 'private' | 'shared' | 'org' | 'public';

export interface FoldersTable {
  id: string;
  owner: string;
  title: string;
  created: number;
}

export interface ItemsTable {
  id: string;
  owner: string;
  folder_id: string | null;
  title: string;
  /** title lower-cased in JavaScript (identical on both databases), for sortField=title. */
  title_sort: string;
  type: string;
  /** JSON array of strings. */
  type_keywords: string;
  description: string;
  snippet: string;
  /** JSON array of strings. */
  tags: string;
  url: string | null;
  access: Access;
  extent_xmin: number | null;
  extent_ymin: number | null;
  extent_xmax: number | null;
  extent_ymax: number | null;
  /** JSON object (ArcGIS spatial reference) or null. */
  spatial_reference: string | null;
  /** JSON object or null. */
  properties: string | null;
  license_info: string;
  access_information: string;
  culture: string;
  /** none | text | file */
  data_kind: string;
  data_text: string | null;
  file_name: string | null;
  /** Name of the stored file under <home>/files (never a client-chosen path). */
  file_key: string | null;
  /** Content type of the uploaded file, as the client declared it (sanitised). */
  file_type: string | null;
  /** Field-prefixed search tokens (` title:web title:map | tags:x `) for exact phrase checks. */
  search_text: string;
  /** Stored thumbnail image under <home>/files, and the name it is served under. */
  thumbnail_key: string | null;
  thumbnail_name: string | null;
  size: number;
  num_views: number;
  created: number;
  modified: number;
}

export interface GroupsTable {
  id: string;
  title: string;
  owner: string;
  description: string;
  snippet: string;
  tags: string;
  access: 'private' | 'org' | 'public';
  is_invitation_only: number;
  is_view_only: number;
  sort_field: string;
  sort_order: string;
  created: number;
  modified: number;
}

export interface GroupMembersTable {
  group_id: string;
  username: string;
  /** owner | admin | member */
  member_type: string;
  joined: number;
}

export interface ItemSharesTable {
  item_id: string;
  group_id: string;
  shared: number;
}

/** The portal's file store: one row, id 'current' (see migration-file-store.ts). */
export interface ContentFileStoreTable {
  id: string;
  store_id: string;
  created: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    content_file_store: ContentFileStoreTable;
    folders: FoldersTable;
    items: ItemsTable;
    groups: GroupsTable;
    group_members: GroupMembersTable;
    item_shares: ItemSharesTable;
  }
}
