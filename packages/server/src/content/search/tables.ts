import type { ColumnType } from 'kysely';

/**
 * One row per item: its index key `doc` (doc-key.ts) and the columns search filters and sorts
 * on. On PostgreSQL it also holds the item's tsvector `tsv` (GIN index); on SQLite the words
 * are in the FTS5 table search_fts (rowid = doc) and the extents in the R*Tree search_extents.
 */
export interface SearchDocsTable {
  doc: number;
  item_id: string;
  /** Visibility code of items.access (search/visibility.ts). */
  vis: number;
  owner: string;
  modified: number;
  created: number;
  /** title lower-cased in JavaScript (identical on both databases), for sortField=title. */
  title_sort: string;
  extent_xmin: number | null;
  extent_ymin: number | null;
  extent_xmax: number | null;
  extent_ymax: number | null;
  /** PostgreSQL only: written as tsvector text, never read back. */
  tsv: ColumnType<never, string | undefined, string>;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    search_docs: SearchDocsTable;
  }
}
