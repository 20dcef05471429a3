import type { Kysely } from 'kysely';

/** Traces of pipeline runs (TLS diagnosis, later the SAML ACS and sync), kept traces.keepDays. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pipeline_traces')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('pipeline', 'varchar(100)', (c) => c.notNull())
    .addColumn('subject', 'varchar(400)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
    .addColumn('code', 'varchar(100)')
    .addColumn('started', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('node', 'varchar(64)', (c) => c.notNull())
    .addColumn('steps', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pipeline_traces_started').on('pipeline_traces').columns(['started']).execute();
  await db.schema
    .createIndex('pipeline_traces_pipeline_started')
    .on('pipeline_traces')
    .columns(['pipeline', 'started'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('pipeline_traces').execute();
}
