import { type Kysely, sql } from 'kysely';

/**
 * The outbox keys its calls by the service (folder/name/type), not by a URL: the URL is made by
 * the node that delivers (a `meridian` command may not know the URL the server is reached at).
 * A call the portal refused is kept as failed (with its error code) instead of being retried.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('gis_federation_outbox')
    .addColumn('service_key', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('gis_federation_outbox')
    .addColumn('state', 'varchar(20)', (c) => c.notNull().defaultTo('pending'))
    .execute();
  await db.schema.alterTable('gis_federation_outbox').addColumn('error_code', 'varchar(100)').execute();
  // Entries written before: their payload already names the service.
  const rows = await sql<{
    id: string;
    payload: string;
  }>`select id, payload from gis_federation_outbox`.execute(db);
  for (const r of rows.rows) {
    const p = JSON.parse(r.payload) as Record<string, string | undefined>;
    const key = `${p.folder ?? ''}/${p.name ?? ''}/${p.type ?? 'FeatureServer'}`.toLowerCase();
    await sql`update gis_federation_outbox set service_key = ${key} where id = ${r.id}`.execute(db);
  }
  await db.schema.alterTable('gis_federation_outbox').dropColumn('service_url').execute();
  await db.schema
    .createIndex('gis_federation_outbox_service')
    .on('gis_federation_outbox')
    .columns(['service_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('gis_federation_outbox_service').execute();
  await db.schema
    .alterTable('gis_federation_outbox')
    .addColumn('service_url', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema.alterTable('gis_federation_outbox').dropColumn('error_code').execute();
  await db.schema.alterTable('gis_federation_outbox').dropColumn('state').execute();
  await db.schema.alterTable('gis_federation_outbox').dropColumn('service_key').execute();
}
