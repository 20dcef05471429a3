import type { Kysely } from 'kysely';
import { isPostgres } from '../kernel/db/column-types.ts';

/**
 * The item change log (item-changes.ts): what happened to items in watched groups, in commit
 * order (seq), and the groups that are watched (a collaboration workspace links them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  await db.schema
    .createTable('content_item_changes')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) =>
      pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('group_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('item_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('content_item_changes_by_group')
    .on('content_item_changes')
    .columns(['group_id', 'seq'])
    .execute();
  await db.schema
    .createTable('content_change_watches')
    .addColumn('group_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('watcher', 'varchar(200)', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('content_change_watches_pk', ['group_id', 'watcher'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('content_change_watches').execute();
  await db.schema.dropTable('content_item_changes').execute();
}
