import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Grants } from './grants.ts';

/**
 * An app is unregistered (or its item deleted): inside that transaction its codes go, its
 * refresh tokens and grants are revoked, and every node stops accepting its access tokens.
 */
export async function revokeClient(
  trx: Kysely<Database>,
  grants: Grants,
  clientId: string,
  now: number,
): Promise<void> {
  await trx.deleteFrom('oauth_codes').where('client_id', '=', clientId).execute();
  await trx.deleteFrom('oauth_authorizations').where('client_id', '=', clientId).execute();
  await trx
    .updateTable('oauth_refresh_tokens')
    .set({ revoked: now })
    .where('client_id', '=', clientId)
    .where('revoked', 'is', null)
    .execute();
  const live = await trx
    .selectFrom('oauth_grants')
    .select('id')
    .where('client_id', '=', clientId)
    .where('revoked', 'is', null)
    .where('expires', '>', now)
    .execute();
  await trx.updateTable('oauth_grants').set({ revoked: now }).where('client_id', '=', clientId).execute();
  grants.revoked(live.map((g) => g.id));
}
