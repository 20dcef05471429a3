import { randomBytes } from 'node:crypto';
import type { Kernel } from '../kernel/kernel.ts';

const CONTEXT = 'tls.ticket_key';
/** Each period has its own ticket key; a key issues tickets for one period. */
export const TICKET_KEY_LIFETIME_MS = 12 * 3_600_000;

type Ctx = Pick<Kernel, 'db' | 'box'>;

/** A 48-byte session ticket key (16-byte name, 16-byte HMAC key, 16-byte AES key) and its period. */
export interface TicketKey {
  period: number;
  key: Buffer;
}

export function ticketPeriod(now: number): number {
  return Math.floor(now / TICKET_KEY_LIFETIME_MS);
}

const idOf = (period: number) => `p${period}`;
const periodOf = (id: string) => Number(id.slice(1));

/**
 * The ticket keys a node holds at `now`: the previous, current and next period's keys, the same
 * on every node. Keys are stored sealed, one row per period; the current and next period's rows
 * are created by whichever node first needs them (insert-if-absent, so nodes rotating at once
 * agree on one key), so every node has the next key a whole period before it issues with it, and
 * still has the previous one for a period after. Rows older than the previous period are dropped.
 */
export async function ticketKeysAt(ctx: Ctx, now: number): Promise<TicketKey[]> {
  const period = ticketPeriod(now);
  const wanted = [period - 1, period, period + 1];
  const stored = await ctx.db.kysely.selectFrom('tls_ticket_keys').selectAll().execute();
  const have = new Set(stored.map((r) => periodOf(r.id)));
  for (const p of [period, period + 1]) {
    if (have.has(p)) continue;
    await ctx.db.kysely
      .insertInto('tls_ticket_keys')
      .values({ id: idOf(p), key_sealed: ctx.box.seal(randomBytes(48), CONTEXT), created: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  const old = stored.filter((r) => periodOf(r.id) < period - 1).map((r) => r.id);
  if (old.length) await ctx.db.kysely.deleteFrom('tls_ticket_keys').where('id', 'in', old).execute();
  const rows = await ctx.db.kysely
    .selectFrom('tls_ticket_keys')
    .selectAll()
    .where('id', 'in', wanted.map(idOf))
    .execute();
  return rows
    .map((r) => ({ period: periodOf(r.id), key: ctx.box.open(r.key_sealed, CONTEXT) }))
    .sort((a, b) => a.period - b.period);
}
