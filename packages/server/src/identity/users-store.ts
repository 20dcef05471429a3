import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../kernel/db/database.ts';
import { prepared } from '../kernel/db/prepared.ts';
import type { Database } from '../kernel/db/schema.ts';
import type { UsersTable } from './tables.ts';

export type UserRow = Selectable<UsersTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** Usernames are unique without regard to case; this is the key they are looked up by. */
export function usernameKey(username: string): string {
  return username.trim().toLowerCase();
}

const byUsername = prepared<UserRow>('SELECT * FROM users WHERE username_lower = ?');

/** On the path of every signed-in request: a prepared statement, not a built query. */
export async function findUserByUsername(q: Q, username: string): Promise<UserRow | undefined> {
  return (await byUsername(q as Kysely<unknown>, [usernameKey(username)]))[0];
}

/** The SAML account of a NameID from an identity provider (exact, case-sensitive match). */
export async function findSamlAccount(
  q: Q,
  idpEntityId: string,
  nameId: string,
): Promise<UserRow | undefined> {
  return q
    .selectFrom('users')
    .selectAll()
    .where('idp_entity_id', '=', idpEntityId)
    .where('idp_username', '=', nameId)
    .executeTakeFirst();
}

/** An enterprise account pre-registered with a NameID but no identity provider. */
export async function findUnboundSamlAccount(q: Q, nameId: string): Promise<UserRow | undefined> {
  return q
    .selectFrom('users')
    .selectAll()
    .where('provider', '=', 'enterprise')
    .where('idp_entity_id', 'is', null)
    .where('idp_username', '=', nameId)
    .orderBy('created')
    .executeTakeFirst();
}

export async function findUserById(q: Q, id: string): Promise<UserRow | undefined> {
  return q.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countUsers(q: Q): Promise<number> {
  const r = await q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Serialises changes that could leave the organisation without an enabled administrator.
 * PostgreSQL runs READ COMMITTED, where two transactions demoting two different admins would
 * each still see the other admin; a transaction-scoped advisory lock makes them take turns.
 * SQLite transactions are serialisable already (one writer at a time).
 */
export async function lockAdministrators(trx: Transaction<Database>, db: Db): Promise<void> {
  // 0x4d455249 ('MERI'): one lock for every change to the set of administrators.
  if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${0x4d455249}::bigint)`.execute(trx);
}

export async function countEnabledAdmins(q: Q): Promise<number> {
  const r = await q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'org_admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Enabled administrators who sign in through SAML (provider enterprise). */
export async function countEnabledSamlAdmins(q: Q): Promise<number> {
  const r = await q
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'org_admin')
    .where('disabled', '=', 0)
    .where('provider', '=', 'enterprise')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Raised by one on sign-out, password change, role change, disable: every token issued before is void. */
export async function bumpTokenEpoch(q: Q, id: string, now: number): Promise<void> {
  await q
    .updateTable('users')
    .set((eb) => ({ token_epoch: eb('token_epoch', '+', 1), modified: now }))
    .where('id', '=', id)
    .execute();
}

/** True for a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string; errcode?: number };
  return e?.code === '23505' || /UNIQUE constraint failed/i.test(e?.message ?? '');
}
