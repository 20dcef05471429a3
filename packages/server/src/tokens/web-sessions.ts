import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { prepared } from '../kernel/db/prepared.ts';
import type { Database } from '../kernel/db/schema.ts';

const active = prepared<{ id: string }>('SELECT id FROM web_sessions WHERE id = ? AND expires > ?');

/** Opens a session (and drops the expired ones); answers its id. */
export async function openWebSession(
  db: Kysely<Database>,
  userId: string,
  expires: number,
  now = Date.now(),
): Promise<string> {
  const id = randomBytes(16).toString('hex');
  await db.deleteFrom('web_sessions').where('expires', '<=', now).execute();
  await db.insertInto('web_sessions').values({ id, user_id: userId, created: now, expires }).execute();
  return id;
}

/** Whether the session exists and has not expired (on the path of every web UI request). */
export async function isWebSessionActive(
  db: Kysely<Database>,
  id: string,
  now = Date.now(),
): Promise<boolean> {
  return (await active(db as Kysely<unknown>, [id, now])).length > 0;
}

/** Ends one session: its cookie stops working on every node at once. */
export async function endWebSession(db: Kysely<Database>, id: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('id', '=', id).execute();
}

/** Ends these sessions (an identity provider's logout): their cookies stop working on every node. */
export async function endWebSessions(db: Kysely<Database>, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await db
    .deleteFrom('web_sessions')
    .where('id', 'in', [...ids])
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}
