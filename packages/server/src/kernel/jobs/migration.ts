import type { Kysely } from 'kysely';

/** Long operations with progress, cancel and leases for several nodes on one database. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(100)', (c) => c.notNull())
    .addColumn('status', 'varchar(20)', (c) => c.notNull())
    .addColumn('resumable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_total', 'bigint')
    .addColumn('progress_message', 'varchar(500)', (c) => c.notNull().defaultTo(''))
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('error_code', 'varchar(100)')
    .addColumn('error_message', 'text')
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('started', 'bigint')
    .addColumn('finished', 'bigint')
    .addColumn('modified', 'bigint', (c) => c.notNull())
    .addColumn('lease_owner', 'varchar(64)')
    .addColumn('lease_expires', 'bigint')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('jobs_status_created').on('jobs').columns(['status', 'created']).execute();
  await db.schema.createIndex('jobs_kind_created').on('jobs').columns(['kind', 'created']).execute();
  await db.schema.createIndex('jobs_created').on('jobs').columns(['created']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
