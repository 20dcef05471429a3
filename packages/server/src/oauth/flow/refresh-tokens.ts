import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { OAuthRefreshTokensTable } from './tables.ts';

export type RefreshRow = OAuthRefreshTokensTable;

export async function issueRefreshToken(
  db: Kysely<Database>,
  r: Pick<RefreshRow, 'grant_id' | 'client_id' | 'user_id' | 'user_epoch' | 'expires'>,
  now: number,
): Promise<string> {
  const token = newSecret();
  await db.deleteFrom('oauth_refresh_tokens').where('expires', '<=', now).execute();
  await db
    .insertInto('oauth_refresh_tokens')
    .values({ ...r, token_hash: hashSecret(token), created: now, revoked: null })
    .execute();
  return token;
}

/** The live refresh token issued to this client, or undefined (unknown, expired, revoked, another client's). */
export async function findRefreshToken(
  db: Kysely<Database>,
  token: string,
  clientId: string,
  now: number,
): Promise<RefreshRow | undefined> {
  if (!token || token.length > 128) return undefined;
  const row = await db
    .selectFrom('oauth_refresh_tokens')
    .selectAll()
    .where('token_hash', '=', hashSecret(token))
    .executeTakeFirst();
  if (!row || row.revoked !== null || row.expires <= now || row.client_id !== clientId) return undefined;
  return row;
}

/** Revokes one refresh token; true only for the caller that revoked it (an exchange happens once). */
export async function revokeRefreshToken(
  db: Kysely<Database>,
  row: RefreshRow,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('oauth_refresh_tokens')
    .set({ revoked: now })
    .where('token_hash', '=', row.token_hash)
    .where('revoked', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
