import { type Kysely, sql, type Transaction } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';
import type { Database } from '../../kernel/db/schema.ts';
import type { ItemRow } from '../item-json.ts';
import { DOC_SEQ, docBase, docOfTime } from './doc-key.ts';
import { type IndexEntry, indexEntry } from './index-entry.ts';
import { PARTITIONS, partitionSql } from './partition.ts';
import { tsvectorText } from './pg-index.ts';
import { deleteSqliteEntries, FTS_TABLE, insertSqliteEntries } from './sqlite-index.ts';

/**
 * Keeping the search index in step with the items: the only writers of search_docs, the FTS5
 * tables and search_extents. Call them inside the transaction that writes the item, so
 * that the index never disagrees with the items table.
 */
type Trx = Transaction<Database> | Kysely<Database>;

function pg(db: Trx): boolean {
  return isPostgres(db as Kysely<unknown>);
}

/** Writes search_docs rows (with the tsvector on PostgreSQL); false for a key already taken. */
async function insertDocRow(trx: Trx, entry: IndexEntry): Promise<boolean> {
  const values = pg(trx)
    ? { ...entry.columns, tsv: sql<string>`${tsvectorText(entry.document)}::tsvector` }
    : entry.columns;
  const r = await trx
    .insertInto('search_docs')
    .values(values as never)
    .onConflict((oc) => oc.column('doc').doNothing())
    .returning('doc')
    .execute();
  return r.length === 1;
}

/**
 * The first free key of the item's millisecond (or of the next ones, if more than 1,024 items
 * share it). A key taken meanwhile by another node's transaction is skipped by insertDocRow.
 */
async function freeDoc(trx: Trx, modified: number, from = docBase(modified)): Promise<number> {
  for (let base = from - (from % DOC_SEQ); ; base += DOC_SEQ) {
    const low = Math.max(base, from);
    const r = await sql<{
      m: number | string | null;
    }>`SELECT max(doc) AS m FROM search_docs WHERE doc >= ${low} AND doc < ${base + DOC_SEQ}`.execute(trx);
    const m = r.rows[0]?.m;
    if (m === null || m === undefined) return low;
    if (Number(m) < base + DOC_SEQ - 1) return Number(m) + 1;
  }
}

async function removeDocs(trx: Trx, docs: { doc: number; vis: number }[]): Promise<void> {
  if (!docs.length) return;
  if (!pg(trx)) await deleteSqliteEntries(trx, docs);
  await trx
    .deleteFrom('search_docs')
    .where(
      'doc',
      'in',
      docs.map((d) => d.doc),
    )
    .execute();
}

/** Writes (or rewrites) the index entry of an item row; `groups`: the ids it is shared with. */
async function writeEntry(trx: Trx, row: ItemRow, groups: readonly string[]): Promise<void> {
  const old = await trx
    .selectFrom('search_docs')
    .select(['doc', 'vis'])
    .where('item_id', '=', row.id)
    .executeTakeFirst();
  if (old) await removeDocs(trx, [{ doc: Number(old.doc), vis: old.vis }]);
  // An item whose modified time did not change (a share) keeps its key.
  let doc =
    old && docOfTime(Number(old.doc), row.modified) ? Number(old.doc) : await freeDoc(trx, row.modified);
  let entry = indexEntry(row, doc, groups);
  while (!(await insertDocRow(trx, entry))) {
    doc = await freeDoc(trx, row.modified, doc + 1);
    entry = indexEntry(row, doc, groups);
  }
  if (!pg(trx)) await insertSqliteEntries(trx, [entry]);
}

async function sharesOf(trx: Trx, itemIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!itemIds.length) return out;
  const rows = await trx
    .selectFrom('item_shares')
    .select(['item_id', 'group_id'])
    .where('item_id', 'in', [...itemIds])
    .execute();
  for (const r of rows) {
    const list = out.get(r.item_id);
    if (list) list.push(r.group_id);
    else out.set(r.item_id, [r.group_id]);
  }
  return out;
}

/** Indexes an item row just inserted or updated (its group shares are read from item_shares). */
export async function indexItem(trx: Trx, row: ItemRow): Promise<void> {
  await writeEntry(trx, row, (await sharesOf(trx, [row.id])).get(row.id) ?? []);
}

/** Removes an item's index entry (before the item row goes). */
export async function dropItemIndex(trx: Trx, itemId: string): Promise<void> {
  const rows = await trx
    .selectFrom('search_docs')
    .select(['doc', 'vis'])
    .where('item_id', '=', itemId)
    .execute();
  await removeDocs(
    trx,
    rows.map((r) => ({ doc: Number(r.doc), vis: r.vis })),
  );
}

/**
 * After items.access or group shares changed: indexes the items again from their rows and
 * item_shares (their keys do not change).
 */
export async function syncTermAccess(trx: Trx, itemIds: string[]): Promise<void> {
  for (let i = 0; i < itemIds.length; i += 500) {
    const ids = itemIds.slice(i, i + 500);
    if (!ids.length) continue;
    const rows = await trx.selectFrom('items').selectAll().where('id', 'in', ids).execute();
    const shares = await sharesOf(trx, ids);
    for (const row of rows) await writeEntry(trx, row, shares.get(row.id) ?? []);
  }
}

const REBUILD_BATCH = 1000;

/**
 * Builds the whole index again from the items table (a migration that changes what is indexed;
 * a bulk load). Items are read in key order, so keys are given out without asking the database.
 */
export async function rebuildSearchIndex(db: Trx): Promise<{ items: number }> {
  const rebuild = async (trx: Trx) => {
    const postgres = pg(trx);
    if (postgres) {
      await sql`TRUNCATE search_docs`.execute(trx);
      // Building the GIN indexes once over every row is far faster than row by row.
      for (const p of PARTITIONS)
        await sql`DROP INDEX IF EXISTS ${sql.ref(`search_docs_tsv_${p}`)}`.execute(trx);
    } else {
      for (const table of Object.values(FTS_TABLE)) await sql`DELETE FROM ${sql.table(table)}`.execute(trx);
      await sql`DELETE FROM search_extents`.execute(trx);
      await sql`DELETE FROM search_docs`.execute(trx);
    }
    let after: { modified: number; id: string } | null = null;
    let last = -1;
    let items = 0;
    for (;;) {
      let q = trx.selectFrom('items').selectAll().orderBy('modified').orderBy('id').limit(REBUILD_BATCH);
      if (after) {
        const a = after;
        q = q.where(sql<boolean>`(modified, id) > (${a.modified}, ${a.id})`);
      }
      const rows = await q.execute();
      if (!rows.length) break;
      const shares = await sharesOf(
        trx,
        rows.map((r) => r.id),
      );
      const entries = rows.map((row) => {
        // The millisecond's first key, or the key after the previous item's (same millisecond).
        last = Math.max(docBase(row.modified), last + 1);
        return indexEntry(row, last, shares.get(row.id) ?? []);
      });
      for (let i = 0; i < entries.length; i += 250) {
        const chunk = entries.slice(i, i + 250);
        const values = chunk.map((e) =>
          postgres ? { ...e.columns, tsv: sql<string>`${tsvectorText(e.document)}::tsvector` } : e.columns,
        );
        await trx
          .insertInto('search_docs')
          .values(values as never)
          .execute();
      }
      if (!postgres) await insertSqliteEntries(trx, entries);
      items += rows.length;
      const end = rows[rows.length - 1]!;
      after = { modified: end.modified, id: end.id };
    }
    if (postgres) await createTsvIndexes(trx);
    else
      for (const table of Object.values(FTS_TABLE))
        await sql`INSERT INTO ${sql.table(table)} (${sql.ref(table)}) VALUES ('optimize')`.execute(trx);
    return { items };
  };
  // Inside a migration the database is already a transaction.
  return db.isTransaction ? rebuild(db) : (db as Kysely<Database>).transaction().execute(rebuild);
}

/**
 * The GIN indexes of search_docs.tsv, one per part of the index (partition.ts). fastupdate off:
 * with it, recent entries wait in a pending list that every search reads through, which makes
 * search times vary with the write rate.
 */
async function createTsvIndexes(db: Trx): Promise<void> {
  for (const p of PARTITIONS)
    await sql`CREATE INDEX ${sql.ref(`search_docs_tsv_${p}`)} ON search_docs USING gin (tsv) WITH (fastupdate = off) WHERE ${partitionSql(p, 'index')}`.execute(
      db,
    );
}
