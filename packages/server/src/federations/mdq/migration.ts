import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';

/**
 * The MDQ cache: one row per entity asked of a federation's metadata query service. A found
 * identity provider has its record (JSON, IdpRecord) and its validUntil; an unknown entity has
 * none (the negative cache). `refresh_after` is when to ask again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  let t = db.schema
    .createTable('federation_mdq_entities')
    .addColumn('federation_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('entity_id', 'varchar(1024)', (c) => c.notNull())
    .addColumn('record', 'text')
    .addColumn('valid_until', 'bigint')
    .addColumn('refresh_after', 'bigint', (c) => c.notNull())
    .addColumn('fetched', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_mdq_entities_pk', ['federation_id', 'entity_id']);
  if (!isPostgres(db)) t = t.modifyEnd(sql`without rowid`);
  await t.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_mdq_entities').execute();
}
