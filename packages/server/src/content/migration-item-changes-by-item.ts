import type { Kysely } from 'kysely';

/**
 * The item change log by item (item-changes.ts): compaction finds the entries a later entry of
 * the same item in the same group supersedes through it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('content_item_changes_by_item')
    .on('content_item_changes')
    .columns(['group_id', 'item_id', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('content_item_changes_by_item').execute();
}
