/** The portal's hosting server: where hosted feature services are published. */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { findServerRow, HOSTING, listServerRows, type ServerRow } from '../store.ts';
import { PublishNoHostingServer } from './errors.ts';

function noHostingServer(extra = ''): MeridianError {
  return new MeridianError(
    PublishNoHostingServer,
    `This portal has no hosting server${extra}. ${PublishNoHostingServer.fix}`,
  );
}

/** The hosting server (one per portal); servers.no_hosting_server when there is none. */
export async function hostingServer(db: Kysely<Database>): Promise<ServerRow> {
  const row = (await listServerRows(db)).find((r) => r.server_role === HOSTING);
  if (!row) throw noHostingServer();
  return row;
}

/** The server chosen when the publish started, still federated and still the hosting server. */
export async function sameHostingServer(db: Kysely<Database>, id: string): Promise<ServerRow> {
  const row = await findServerRow(db, id);
  if (!row || row.server_role !== HOSTING)
    throw noHostingServer(
      row ? ` any more (${row.url} is no longer it)` : ' any more (the server was unfederated)',
    );
  return row;
}
