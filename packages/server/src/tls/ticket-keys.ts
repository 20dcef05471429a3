import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';

export const TICKET_KEYS_TOPIC = 'tls.ticket_keys';
const CONTEXT = 'tls.ticket_key';
/** A ticket key is replaced after this long; tickets it sealed then need a full handshake. */
export const TICKET_KEY_LIFETIME_MS = 12 * 3_600_000;

type Ctx = Pick<Kernel, 'db' | 'box' | 'bus'>;

/**
 * The current 48-byte session ticket key, the same on every node. The node that finds it
 * older than its lifetime writes a new one (the insert is keyed by the rotation period, so
 * two nodes rotating at once agree on one key) and tells the others.
 */
export async function currentTicketKey(ctx: Ctx, now = Date.now()): Promise<Buffer> {
  const period = Math.floor(now / TICKET_KEY_LIFETIME_MS);
  const id = `p${period}`;
  let row = await ctx.db.kysely
    .selectFrom('tls_ticket_keys')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) {
    await ctx.db.kysely
      .insertInto('tls_ticket_keys')
      .values({ id, key_sealed: ctx.box.seal(randomBytes(48), CONTEXT), created: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    // Keep the previous period's key row for diagnosis; drop anything older.
    await ctx.db.kysely
      .deleteFrom('tls_ticket_keys')
      .where('created', '<', now - 2 * TICKET_KEY_LIFETIME_MS)
      .execute();
    row = await ctx.db.kysely
      .selectFrom('tls_ticket_keys')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }
  return ctx.box.open(row.key_sealed, CONTEXT);
}
