/**
 * Nonces of partner calls, in the database so that a call replayed to another node of the same
 * portal is refused too. Kept 10 minutes (twice the accepted clock skew), then purged.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';

export const NONCE_TTL_MS = 10 * 60_000;

/** Records the nonce; false when it was seen already (a replay). */
export async function firstUse(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  await db.deleteFrom('collaboration_nonces').where('expires', '<', now).execute();
  const r = await db
    .insertInto('collaboration_nonces')
    .values({ id, expires: now + NONCE_TTL_MS })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}
