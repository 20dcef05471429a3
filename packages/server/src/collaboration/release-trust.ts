/**
 * When a partnership ends, the trust entry its exchange added (the participant's trust_alias)
 * goes too, unless another active partnership still relies on it: this portal trusts a
 * partner's certificate only while it collaborates with it. An entry an administrator made, or
 * one that was there before the exchange, is never a participant's and stays.
 */
import type { CollaborationContext } from './context.ts';
import type { ParticipantRow } from './participant-store.ts';
import { forgetTrust } from './reach-partner.ts';

export async function releaseTrust(ctx: CollaborationContext, p: ParticipantRow): Promise<void> {
  const alias = p.trust_alias;
  if (!alias) return;
  const db = ctx.kernel.db.kysely;
  const inUse = await db
    .selectFrom('collaboration_participants')
    .select('portal_id')
    .where('trust_alias', '=', alias)
    .where('state', '=', 'active')
    .executeTakeFirst();
  if (inUse) return;
  await db
    .updateTable('collaboration_participants')
    .set({ trust_alias: null })
    .where('trust_alias', '=', alias)
    .execute();
  await forgetTrust(ctx, alias);
}
