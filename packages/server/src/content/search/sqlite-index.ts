import { type Kysely, sql } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { PAIRED_FIELDS, type SearchDocument, type Slot, TEXT_FIELDS, type TextField } from './document.ts';
import { hasExtent, type IndexEntry } from './index-entry.ts';
import { PARTITIONS, type Partition, partitionOf } from './partition.ts';

/**
 * The SQLite side of the index: search_docs, two FTS5 tables and the R*Tree search_extents.
 *
 * The FTS5 tables have one column per text field, `pairs` and `acl`; rowid = doc; contentless
 * (they store the index only). One table per part of the index (partition.ts): the items every
 * signed-in user sees in search_fts_open, the others in search_fts_closed.
 *
 * FTS5's 'ascii' tokenizer splits on ASCII spaces and punctuation only and keeps every other
 * character, so it reads back exactly the words tokenize.ts made. A GAP is written as '·', a
 * word no query contains. `pairs` holds each pair of adjacent words as one token, '·web·map'
 * from any field and 'p·web·map' from the type (FIELD_CODE), so that a two-word phrase is one
 * token's rows rather than a check of positions in every item that has both words.
 */
export const FTS_GAP = '\u00b7';

export const FTS_TABLE: Record<Partition, string> = { open: 'search_fts_open', closed: 'search_fts_closed' };

const FIELD_CODE: Record<TextField, string> = {
  title: 't',
  snippet: 's',
  description: 'd',
  tags: 'k',
  typekeywords: 'y',
  type: 'p',
};

/** The token of two adjacent words, of one field or (null) of any. */
export function pairToken(field: TextField | null, a: string, b: string): string {
  return `${field ? FIELD_CODE[field] : ''}${FTS_GAP}${a}${FTS_GAP}${b}`;
}

function fieldText(slots: readonly Slot[]): string {
  return slots.map((s) => s ?? FTS_GAP).join(' ');
}

function pairsText(document: SearchDocument): string {
  const pairs = new Set<string>();
  for (const field of TEXT_FIELDS) {
    const slots = document.text[field];
    for (let i = 0; i + 1 < slots.length; i++) {
      const [a, b] = [slots[i], slots[i + 1]];
      if (!a || !b) continue;
      pairs.add(pairToken(null, a, b));
      if (PAIRED_FIELDS.has(field)) pairs.add(pairToken(field, a, b));
    }
  }
  return [...pairs].join(' ');
}

type Db = Kysely<Database>;
const COLUMNS = sql.join([...TEXT_FIELDS, 'pairs', 'acl'].map((c) => sql.ref(c)));

/** Adds entries whose search_docs rows are already written. */
export async function insertSqliteEntries(db: Db, entries: readonly IndexEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 500) {
    const chunk = entries.slice(i, i + 500);
    for (const partition of PARTITIONS) {
      const rows = chunk
        .filter((e) => partitionOf(e.columns.vis) === partition)
        .map(
          ({ columns, document }) =>
            sql`(${columns.doc}, ${sql.join(TEXT_FIELDS.map((f) => sql`${fieldText(document.text[f])}`))}, ${pairsText(document)}, ${document.acl.join(' ')})`,
        );
      if (rows.length)
        await sql`INSERT INTO ${sql.table(FTS_TABLE[partition])} (rowid, ${COLUMNS}) VALUES ${sql.join(rows)}`.execute(
          db,
        );
    }
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
export async function deleteSqliteEntries(
  db: Db,
  docs: readonly { doc: number; vis: number }[],
): Promise<void> {
  for (const partition of PARTITIONS) {
    const of = docs.filter((d) => partitionOf(d.vis) === partition).map((d) => d.doc);
    for (let i = 0; i < of.length; i += 500) {
      const list = sql.join(of.slice(i, i + 500).map((d) => sql`${d}`));
      await sql`DELETE FROM ${sql.table(FTS_TABLE[partition])} WHERE rowid IN (${list})`.execute(db);
    }
  }
  for (let i = 0; i < docs.length; i += 500) {
    const list = sql.join(docs.slice(i, i + 500).map((d) => sql`${d.doc}`));
    await sql`DELETE FROM search_extents WHERE doc IN (${list})`.execute(db);
  }
}
