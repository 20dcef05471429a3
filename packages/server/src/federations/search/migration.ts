import { type Kysely, sql } from 'kysely';
import { isPostgres } from '../../kernel/db/column-types.ts';

/**
 * The discovery search index: federation_idp_terms, one row per term of an identity provider
 * of a generation (search/terms.ts), its primary key a B-tree on (federation, generation,
 * term) where a prefix is a range on both databases (the term compared by code point: collate
 * "C" on PostgreSQL). Plain B-tree prefix ranges rather than FTS5 / tsvector: the chooser
 * matches word beginnings and domains, which both do the same way here, and 10,000 IdPs are
 * about 100,000 short rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = isPostgres(db);
  let t = db.schema
    .createTable('federation_idp_terms')
    .addColumn('federation_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('term', pg ? sql`varchar(100) collate "C"` : 'varchar(100)', (c) => c.notNull())
    .addColumn('entity_id', 'varchar(1024)', (c) => c.notNull())
    .addPrimaryKeyConstraint('federation_idp_terms_pk', ['federation_id', 'generation', 'term', 'entity_id']);
  if (!pg) t = t.modifyEnd(sql`without rowid`);
  await t.execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('federation_idp_terms').execute();
}
