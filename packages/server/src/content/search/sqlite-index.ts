import { type Kysely, sql } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { type Slot, TEXT_FIELDS } from './document.ts';
import { hasExtent, type IndexEntry } from './index-entry.ts';

/**
 * The SQLite side of the index: search_docs, the FTS5 table search_fts (one column per text
 * field and `acl`, rowid = doc; contentless, so it stores the index only) and the R*Tree
 * search_extents. FTS5's 'ascii' tokenizer splits on ASCII spaces and punctuation only and
 * keeps every other character, so it reads back exactly the words tokenize.ts made; a GAP is
 * written as '·', a word no query contains.
 */
export const FTS_GAP = '\u00b7';

function fieldText(slots: readonly Slot[]): string {
  return slots.map((s) => s ?? FTS_GAP).join(' ');
}

type Db = Kysely<Database>;

/** Adds entries whose search_docs rows are already written. */
export async function insertSqliteEntries(db: Db, entries: readonly IndexEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500);
    const rows = chunk.map(
      ({ columns, document }) =>
        sql`(${columns.doc}, ${sql.join(TEXT_FIELDS.map((f) => sql`${fieldText(document.text[f])}`))}, ${document.acl.join(' ')})`,
    );
    await sql`INSERT INTO search_fts (rowid, ${sql.join(TEXT_FIELDS.map((f) => sql.ref(f)))}, acl) VALUES ${sql.join(rows)}`.execute(
      db,
    );
    const boxes = chunk
      .map((e) => e.columns)
      .filter(hasExtent)
      // The R*Tree wants min ≤ max (item input guarantees it; an older row might not).
      .map(
        (c) =>
          sql`(${c.doc}, ${Math.min(c.extent_xmin, c.extent_xmax)}, ${Math.max(c.extent_xmin, c.extent_xmax)}, ${Math.min(c.extent_ymin, c.extent_ymax)}, ${Math.max(c.extent_ymin, c.extent_ymax)})`,
      );
    if (boxes.length)
      await sql`INSERT INTO search_extents (doc, xmin, xmax, ymin, ymax) VALUES ${sql.join(boxes)}`.execute(
        db,
      );
  }
}

/** Removes the FTS5 and R*Tree entries of docs (their search_docs rows are removed by the caller). */
export async function deleteSqliteEntries(db: Db, docs: readonly number[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 500) {
    const list = sql.join(docs.slice(i, i + 500).map((d) => sql`${d}`));
    await sql`DELETE FROM search_fts WHERE rowid IN (${list})`.execute(db);
    await sql`DELETE FROM search_extents WHERE doc IN (${list})`.execute(db);
  }
}
