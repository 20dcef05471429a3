import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { newSecret } from './secrets.ts';
import type { OAuthAuthorizationsTable } from './tables.ts';

/** How long the sign-in page of one authorization request stays usable. */
export const AUTHORIZATION_TTL_MS = 15 * 60_000;

export type Authorization = OAuthAuthorizationsTable;
export type NewAuthorization = Pick<
  Authorization,
  'client_id' | 'redirect_uri' | 'response_type' | 'state' | 'code_challenge' | 'expiration_minutes'
>;

/**
 * A verified authorization request, kept in the database while the user signs in: the sign-in
 * page carries only its id (oauth_state), so the client, redirect URI, state and PKCE
 * challenge cannot be changed between the request and the redirect, and any node can finish it.
 */
export async function createAuthorization(
  db: Kysely<Database>,
  request: NewAuthorization,
  now: number,
): Promise<string> {
  const id = newSecret();
  await db.deleteFrom('oauth_authorizations').where('expires', '<=', now).execute();
  await db
    .insertInto('oauth_authorizations')
    .values({ ...request, id, oob_code_sealed: null, created: now, expires: now + AUTHORIZATION_TTL_MS })
    .execute();
  return id;
}

/** The authorization request in progress, if it exists and has not expired. */
export async function findAuthorization(
  db: Kysely<Database>,
  id: string,
  now: number,
): Promise<Authorization | undefined> {
  if (!id || id.length > 64) return undefined;
  return db
    .selectFrom('oauth_authorizations')
    .selectAll()
    .where('id', '=', id)
    .where('expires', '>', now)
    .executeTakeFirst();
}

/**
 * Ends the request; true only for the one caller that ended it (a sign-in submitted twice, or
 * on two nodes at once, completes once).
 */
export async function endAuthorization(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('oauth_authorizations').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** For the out-of-band redirect: keeps the code (sealed) until the approval page shows it. */
export async function holdOobCode(
  db: Kysely<Database>,
  id: string,
  sealed: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('oauth_authorizations')
    .set({ oob_code_sealed: sealed, expires: now + 5 * 60_000 })
    .where('id', '=', id)
    .execute();
}
