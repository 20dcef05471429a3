import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../db/column-types.ts';
import { binaryText } from '../binary-text.ts';

/**
 * The item search index: an inverted index (field, term) → item, maintained in the same
 * transaction as every item write (search/index-terms.ts). The primary key is the lookup
 * path of every term query; on SQLite the table is clustered on it (WITHOUT ROWID).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let table = db.schema
    .createTable('item_terms')
    .addColumn('field', 'varchar(16)', (c) => c.notNull())
    .addColumn('term', binaryText(db, 160), (c) => c.notNull())
    .addColumn('item_id', 'varchar(32)', (c) => c.notNull().references('items.id').onDelete('cascade'))
    // Copies of the item's columns that the access filter and the default sorts read, so that
    // counting and paging a term's items never leaves this index (search/term-path.ts).
    .addColumn('access', 'varchar(16)', (c) => c.notNull())
    .addColumn('owner', 'varchar(128)', (c) => c.notNull())
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_terms_pk', ['field', 'term', 'item_id']);
  if (!isPostgres(db)) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  await db.schema.createIndex('item_terms_item').on('item_terms').columns(['item_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('item_terms').execute();
}
