import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { OAuthCodesTable } from './tables.ts';

/** An authorization code is exchanged at once by its app; 5 minutes is generous. */
export const CODE_TTL_MS = 5 * 60_000;

export type CodeRow = OAuthCodesTable;

export async function issueCode(
  db: Kysely<Database>,
  c: Pick<
    CodeRow,
    'grant_id' | 'client_id' | 'user_id' | 'redirect_uri' | 'code_challenge' | 'expiration_minutes'
  >,
  now: number,
): Promise<string> {
  const code = newSecret();
  await db
    .deleteFrom('oauth_codes')
    .where('expires', '<=', now - CODE_TTL_MS)
    .execute();
  await db
    .insertInto('oauth_codes')
    .values({ ...c, code_hash: hashSecret(code), created: now, expires: now + CODE_TTL_MS, used: null })
    .execute();
  return code;
}

export type Consumed =
  | { outcome: 'ok'; row: CodeRow }
  | { outcome: 'reused'; row: CodeRow }
  | { outcome: 'invalid' };

/**
 * Uses a code once: the one request whose update marks it used gets it; a code already used
 * answers `reused` (its grant must then be revoked), an unknown or expired one `invalid`.
 */
export async function consumeCode(db: Kysely<Database>, code: string, now: number): Promise<Consumed> {
  if (!code || code.length > 128) return { outcome: 'invalid' };
  const hash = hashSecret(code);
  const claimed = await db
    .updateTable('oauth_codes')
    .set({ used: now })
    .where('code_hash', '=', hash)
    .where('used', 'is', null)
    .where('expires', '>', now)
    .executeTakeFirst();
  const row = await db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
  if (!row) return { outcome: 'invalid' };
  if (Number(claimed.numUpdatedRows) === 1) return { outcome: 'ok', row };
  if (row.used !== null) return { outcome: 'reused', row };
  return { outcome: 'invalid' };
}
