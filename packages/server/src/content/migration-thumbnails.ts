import type { Kysely } from 'kysely';

/** Item thumbnails: stored like item files, under <home>/files/<key>. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('items').addColumn('thumbnail_key', 'varchar(128)').execute();
  await db.schema.alterTable('items').addColumn('thumbnail_name', 'varchar(128)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('items').dropColumn('thumbnail_name').execute();
  await db.schema.alterTable('items').dropColumn('thumbnail_key').execute();
}
