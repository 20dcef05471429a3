import type { Selectable } from 'kysely';
import type { ItemRow } from '../item-json.ts';
import { type SearchDocument, searchDocument } from './document.ts';
import type { SearchDocsTable } from './tables.ts';
import { visOf } from './visibility.ts';

/** The search_docs columns of an entry (tsv is written from the document on PostgreSQL). */
export type DocColumns = Omit<Selectable<SearchDocsTable>, 'tsv'>;

/** One item's index entry: its key and columns, and its words and access tokens. */
export interface IndexEntry {
  columns: DocColumns;
  document: SearchDocument;
}

/** JSON arrays of strings in items.tags and items.type_keywords. */
export function stringList(text: string): string[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** The index entry of an item row with key `doc`; `groups`: the ids it is shared with. */
export function indexEntry(row: ItemRow, doc: number, groups: readonly string[]): IndexEntry {
  return {
    columns: {
      doc,
      item_id: row.id,
      vis: visOf(row.access),
      owner: row.owner,
      modified: row.modified,
      created: row.created,
      title_sort: row.title_sort,
      extent_xmin: row.extent_xmin,
      extent_ymin: row.extent_ymin,
      extent_xmax: row.extent_xmax,
      extent_ymax: row.extent_ymax,
    },
    document: searchDocument({
      owner: row.owner,
      access: row.access,
      title: row.title,
      snippet: row.snippet,
      description: row.description,
      type: row.type,
      tags: stringList(row.tags),
      typeKeywords: stringList(row.type_keywords),
      groups: [...new Set(groups)],
    }),
  };
}

/** Whether the entry has a whole extent (only those are found by bbox). */
export function hasExtent(
  c: DocColumns,
): c is DocColumns & Record<`extent_${'xmin' | 'ymin' | 'xmax' | 'ymax'}`, number> {
  return c.extent_xmin !== null && c.extent_ymin !== null && c.extent_xmax !== null && c.extent_ymax !== null;
}
