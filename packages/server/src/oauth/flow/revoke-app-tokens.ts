import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { appGrantUser } from './client-credentials.ts';
import type { Grants } from './grants.ts';

/** A replaced app secret revokes the app tokens obtained with the old one, on every node. */
export async function revokeAppTokens(
  db: Kysely<Database>,
  grants: Grants,
  clientId: string,
  now: number,
): Promise<void> {
  const live = await db
    .selectFrom('oauth_grants')
    .select('id')
    .where('client_id', '=', clientId)
    .where('user_id', '=', appGrantUser(clientId))
    .where('revoked', 'is', null)
    .where('expires', '>', now)
    .execute();
  if (!live.length) return;
  await db
    .updateTable('oauth_grants')
    .set({ revoked: now })
    .where(
      'id',
      'in',
      live.map((g) => g.id),
    )
    .execute();
  grants.revoked(live.map((g) => g.id));
}
