import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { binaryText } from '../binary-text.ts';
import { rebuildSearchIndex } from './index-terms.ts';
import * as inverted from './migration.ts';
import { FTS_TABLE } from './sqlite-index.ts';

/**
 * Search on each database's own full-text engine (replaces the inverted index of
 * search/migration.ts, whose tables are dropped; the new index is built from the items):
 *
 * - search_docs: one row per item under its key `doc` (doc-key.ts: modified-time order), with
 *   the columns search filters and sorts on; on PostgreSQL also the item's tsvector `tsv`
 *   (pg-index.ts), stored out of the row, with a partial GIN index per part of the index
 *   (partition.ts: the items every signed-in user sees, the others), and a GiST index of the
 *   extents for bbox.
 * - SQLite: search_fts_open and search_fts_closed, FTS5 tables (rowid = doc; sqlite-index.ts)
 *   of those two parts, contentless with deletes, and search_extents, an R*Tree of the
 *   extents for bbox.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema.dropTable('item_terms').execute();
  await db.schema.dropTable('search_docs').execute();
  let docs = db.schema
    .createTable('search_docs')
    .addColumn('doc', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('item_id', 'varchar(32)', (c) => c.notNull().unique().references('items.id'))
    // 3 public, 2 org, 1 shared (with groups), 0 private: see search/visibility.ts.
    .addColumn('vis', 'integer', (c) => c.notNull())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('title_sort', binaryText(db, 512), (c) => c.notNull())
    .addColumn('extent_xmin', 'double precision')
    .addColumn('extent_ymin', 'double precision')
    .addColumn('extent_xmax', 'double precision')
    .addColumn('extent_ymax', 'double precision');
  if (pg) docs = docs.addColumn('tsv', sql`tsvector`, (c) => c.notNull());
  await docs.execute();
  if (pg) {
    // Rows stay narrow: the tsvector (made longer than 2 kB by pg-index.ts ROW_PAD_LEXEME) is
    // always stored out of the row, compressed; the other columns never are.
    await sql`ALTER TABLE search_docs SET (toast_tuple_target = 128)`.execute(db);
    await sql`ALTER TABLE search_docs ALTER COLUMN item_id SET STORAGE PLAIN, ALTER COLUMN owner SET STORAGE PLAIN, ALTER COLUMN title_sort SET STORAGE PLAIN`.execute(
      db,
    );
  }
  // Sort orders other than modified (which is key order), and the access filter without words.
  for (const col of ['title_sort', 'created'])
    await db.schema.createIndex(`search_docs_${col}`).on('search_docs').columns([col, 'doc']).execute();
  await db.schema.createIndex('search_docs_vis').on('search_docs').columns(['vis', 'doc']).execute();
  await db.schema.createIndex('search_docs_owner').on('search_docs').columns(['owner', 'vis']).execute();
  if (pg) {
    await sql`CREATE INDEX search_docs_extent ON search_docs USING gist (box(point(extent_xmin, extent_ymin), point(extent_xmax, extent_ymax))) WHERE extent_xmin IS NOT NULL AND extent_ymin IS NOT NULL AND extent_xmax IS NOT NULL AND extent_ymax IS NOT NULL`.execute(
      db,
    );
  } else {
    for (const table of Object.values(FTS_TABLE))
      await sql`CREATE VIRTUAL TABLE ${sql.table(table)} USING fts5(title, snippet, description, tags, typekeywords, type, pairs, acl, tokenize = 'ascii', content = '', contentless_delete = 1)`.execute(
        db,
      );
    await sql`CREATE VIRTUAL TABLE search_extents USING rtree(doc, xmin, xmax, ymin, ymax)`.execute(db);
  }
  // Also builds search_docs_tsv on PostgreSQL, once the rows are in.
  await rebuildSearchIndex(db as Kysely<Database>);
}

/** Back to the inverted index's tables, empty (that index was built only as items were written). */
export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) {
    for (const table of Object.values(FTS_TABLE)) await sql`DROP TABLE ${sql.table(table)}`.execute(db);
    await sql`DROP TABLE search_extents`.execute(db);
  }
  await db.schema.dropTable('search_docs').execute();
  await inverted.up(db);
}
