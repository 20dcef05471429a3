import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { ServerNotFound } from './errors.ts';
import type { FederatedServersTable } from './tables.ts';
import './tables.ts';

export type ServerRow = FederatedServersTable;

export const HOSTING = 'HOSTING_SERVER';
export const ROLES = [
  'HOSTING_SERVER',
  'FEDERATED_SERVER',
  'FEDERATED_SERVER_WITH_RESTRICTED_PUBLISHING',
] as const;
export type ServerRole = (typeof ROLES)[number];

/** The federated servers' rows: the only place that reads and writes federated_servers. */
export function listServerRows(db: Kysely<Database>): Promise<ServerRow[]> {
  return db.selectFrom('federated_servers').selectAll().orderBy('created').orderBy('id').execute();
}

export async function findServerRow(db: Kysely<Database>, id: string): Promise<ServerRow | undefined> {
  return db.selectFrom('federated_servers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getServerRow(db: Kysely<Database>, id: string): Promise<ServerRow> {
  const row = await findServerRow(db, id);
  if (!row)
    throw new MeridianError(
      ServerNotFound,
      `There is no federated server '${id.slice(0, 64)}'. ${ServerNotFound.fix}`,
    );
  return row;
}

export function findServerByKey(db: Kysely<Database>, key: string): Promise<ServerRow | undefined> {
  return db.selectFrom('federated_servers').selectAll().where('url_key', '=', key).executeTakeFirst();
}

export async function insertServerRow(db: Kysely<Database>, row: ServerRow): Promise<void> {
  await db.insertInto('federated_servers').values(row).execute();
}

export async function updateServerRow(
  db: Kysely<Database>,
  id: string,
  changes: Partial<Omit<ServerRow, 'id'>>,
): Promise<void> {
  await db.updateTable('federated_servers').set(changes).where('id', '=', id).execute();
}

export async function deleteServerRow(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('federated_servers').where('id', '=', id).execute();
}
