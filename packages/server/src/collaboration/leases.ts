/**
 * Leases in the database: of a portal's nodes, the one holding a lease does its work (a
 * workspace's real-time watch). A holder renews it while it works; another node takes it once
 * it expired unrenewed (its holder died), or at once when the holder gives it up (stopping).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';

export interface CollaborationLeasesTable {
  name: string;
  /** The node holding it (its bus node id). */
  holder: string;
  /** Epoch ms: free for another node after this. */
  expires: number;
}

declare module '../kernel/db/schema.ts' {
  interface Database {
    collaboration_leases: CollaborationLeasesTable;
  }
}

type Db = Kysely<Database>;

/**
 * Takes or renews lease `name` for `holder` until now + ms: answers whether `holder` holds it
 * now (false while another node's lease runs). Compare and set, so one node at a time wins.
 */
export async function holdLease(db: Db, name: string, holder: string, now: number, ms: number) {
  await db
    .insertInto('collaboration_leases')
    .values({ name, holder, expires: now + ms })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const r = await db
    .updateTable('collaboration_leases')
    .set({ holder, expires: now + ms })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('holder', '=', holder), eb('expires', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Gives up the leases `holder` holds among `names` (all of them with no names); another node may take them at once. */
export async function releaseLeases(db: Db, holder: string, names?: readonly string[]): Promise<void> {
  if (names && !names.length) return;
  let q = db.deleteFrom('collaboration_leases').where('holder', '=', holder);
  if (names) q = q.where('name', 'in', names);
  await q.execute();
}

/** The leases whose names start with `prefix`. */
export function leasesLike(db: Db, prefix: string) {
  return db.selectFrom('collaboration_leases').selectAll().where('name', 'like', `${prefix}%`).execute();
}
