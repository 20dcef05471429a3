import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';
import { binaryText } from '../binary-text.ts';

/**
 * The item search index (search/index-terms.ts keeps it in step with every item write):
 *
 * - search_docs: one row per item under a small integer key `doc`, with the columns search
 *   filters and sorts on (visibility, owner, dates, title sort key, extent). Walking its sort
 *   indexes answers the first pages of large result sets.
 * - item_terms: the inverted index (field, term) → doc, clustered on its primary key
 *   (WITHOUT ROWID on SQLite). Every entry carries copies of its doc's visibility, owner and
 *   dates, so counting a term's visible items reads one contiguous key range and nothing else.
 *   Group shares are entries too (field 'group', term = group id).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('search_docs')
    .addColumn('doc', pg ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('item_id', 'varchar(32)', (c) =>
      c.notNull().unique().references('items.id').onDelete('cascade'),
    )
    // 3 public, 2 org, 1 shared (with groups), 0 private: see search/visibility.ts.
    .addColumn('vis', 'integer', (c) => c.notNull())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('title_sort', binaryText(db, 512), (c) => c.notNull())
    .addColumn('extent_xmin', 'double precision')
    .addColumn('extent_ymin', 'double precision')
    .addColumn('extent_xmax', 'double precision')
    .addColumn('extent_ymax', 'double precision')
    .execute();
  for (const col of ['modified', 'created', 'title_sort'])
    await db.schema.createIndex(`search_docs_${col}`).on('search_docs').columns([col, 'doc']).execute();
  let table = db.schema
    .createTable('item_terms')
    .addColumn('field', 'varchar(16)', (c) => c.notNull())
    .addColumn('term', binaryText(db, 160), (c) => c.notNull())
    .addColumn('doc', 'integer', (c) => c.notNull())
    .addColumn('vis', 'integer', (c) => c.notNull())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_terms_pk', ['field', 'term', 'doc']);
  if (!pg) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await db.schema.createIndex('item_terms_doc').on('item_terms').columns(['doc']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('item_terms').execute();
  await db.schema.dropTable('search_docs').execute();
}
