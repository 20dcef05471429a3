import type { Generated } from 'kysely';

/** One row per item: its search key `doc` and the columns search filters and sorts on. */
export interface SearchDocsTable {
  doc: Generated<number>;
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
}

/** The inverted search index: one row per (field, term, doc), with copies of the doc's columns. */
export interface SearchTermsTable {
  field: string;
  term: string;
  doc: number;
  vis: number;
  owner: string;
  modified: number;
  created: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    item_terms: SearchTermsTable;
    search_docs: SearchDocsTable;
  }
}
