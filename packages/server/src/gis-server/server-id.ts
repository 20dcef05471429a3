import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';

/**
 * The server's id, made once on its first start and kept in its database: what a portal will
 * know it by (and the orgId in its users' answers). Several nodes of one server agree on it.
 */
export async function ensureServerId(kernel: Pick<Kernel, 'db' | 'clock'>): Promise<string> {
  const db = kernel.db.kysely;
  const read = () =>
    db.selectFrom('gis_server_settings').select('value').where('key', '=', 'id').executeTakeFirst();
  const row = await read();
  if (row) return JSON.parse(row.value) as string;
  await db
    .insertInto('gis_server_settings')
    .values({
      key: 'id',
      value: JSON.stringify(randomBytes(8).toString('hex')),
      modified: kernel.clock.now(),
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return JSON.parse((await read())!.value) as string;
}
