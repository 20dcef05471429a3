import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { type ServersContext, serverKeyword, tokenDeps } from './context.ts';
import { answerError, serviceOfUrl } from './server-client.ts';
import { adminServerToken } from './server-tokens.ts';
import { deletingForServer } from './service-items.ts';
import { listServerRows } from './store.ts';
import './tables.ts';

const RETRY_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 3 * 3_600_000];
const LEASE_MS = 60_000;

/**
 * When a service item is deleted on the portal (any path), its service is deleted on the
 * server. The item's deletion hook runs inside the deleting transaction: it only records the
 * deletion (federated_service_deletions, committed or rolled back with the item); the sender
 * calls the server after the commit and retries a server that is down, for ever, with back-off
 * (a failure is kept in last_error for the administrator, never dropped).
 */
export function serviceDeletionHook(ctx: ServersContext) {
  return async (trx: Kysely<Database>, itemId: string): Promise<void> => {
    if (deletingForServer.has(itemId)) return;
    const item = await ctx.items.get(trx, itemId, { username: null, isAdmin: true });
    if (!item?.url) return;
    const servers = await listServerRows(trx);
    const server = servers.find((s) => item.typeKeywords.includes(serverKeyword(s.id)));
    if (!server) return;
    await recordServiceDeletion(ctx, trx, {
      serverId: server.id,
      itemId,
      url: item.url,
      by: item.owner,
    });
  };
}

/**
 * Records that a service of a federated server is to be deleted on it, in the caller's
 * transaction (committed or rolled back with it); sent after the commit, retried until done.
 */
export async function recordServiceDeletion(
  ctx: ServersContext,
  trx: Kysely<Database>,
  d: { serverId: string; itemId: string; url: string; by: string },
): Promise<void> {
  const now = ctx.kernel.clock.now();
  await trx
    .insertInto('federated_service_deletions')
    .values({
      id: randomBytes(8).toString('hex'),
      server_id: d.serverId,
      item_id: d.itemId,
      service_url: d.url,
      requested_by: d.by,
      attempts: 0,
      next_attempt: now,
      last_error: null,
      created: now,
    })
    .execute();
  sendSoon(ctx);
}

let pending: NodeJS.Timeout | undefined;
/** After the deleting transaction has (most likely) committed: a later pass picks up the rest. */
function sendSoon(ctx: ServersContext): void {
  if (pending) return;
  pending = setTimeout(() => {
    pending = undefined;
    void sendDueDeletions(ctx).catch((err) =>
      ctx.kernel.log.warn({ err }, 'sending service deletions failed'),
    );
  }, 50);
  pending.unref();
}

/** Sends the deletions that are due (each claimed by this node for a minute first); answers how many were done. */
export async function sendDueDeletions(ctx: ServersContext): Promise<number> {
  const db = ctx.kernel.db.kysely;
  const now = ctx.kernel.clock.now();
  const due = await db
    .selectFrom('federated_service_deletions')
    .selectAll()
    .where('next_attempt', '<=', now)
    .orderBy('next_attempt')
    .limit(50)
    .execute();
  let done = 0;
  for (const d of due) {
    const claimed = await db
      .updateTable('federated_service_deletions')
      .set({ next_attempt: now + LEASE_MS })
      .where('id', '=', d.id)
      .where('next_attempt', '=', d.next_attempt)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const error = await sendOne(ctx, d.server_id, d.service_url, d.requested_by);
    if (error === undefined) {
      await db.deleteFrom('federated_service_deletions').where('id', '=', d.id).execute();
      done++;
      continue;
    }
    ctx.kernel.log.warn(
      { server: d.server_id, service: d.service_url, error },
      'deleting a service on its server failed; retrying later',
    );
    await db
      .updateTable('federated_service_deletions')
      .set({
        attempts: d.attempts + 1,
        last_error: error.slice(0, 2000),
        next_attempt: now + RETRY_MS[Math.min(d.attempts, RETRY_MS.length - 1)]!,
      })
      .where('id', '=', d.id)
      .execute();
  }
  return done;
}

/** Deletes one service on its server; undefined when done (or nothing left to do), else why not. */
async function sendOne(
  ctx: ServersContext,
  serverId: string,
  url: string,
  by: string,
): Promise<string | undefined> {
  const server = await ctx.keys.get(serverId);
  if (!server) return undefined; // unfederated meanwhile: the server is not this portal's any more
  const service = serviceOfUrl(server.row.url, url);
  if (!service) return undefined;
  const token = await adminServerToken(tokenDeps(ctx), serverId, by);
  try {
    const json = await ctx.client.deleteService(server.row.admin_url, token!, service);
    const error = answerError(json);
    // Already gone on the server: nothing to do (each side tolerates the other having done it).
    if (!error || /not (found|exist)|does not exist|no such/i.test(error)) return undefined;
    return error;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The deletions still waiting (for the servers' list and for tests). */
export function pendingDeletions(db: Kysely<Database>) {
  return db.selectFrom('federated_service_deletions').selectAll().orderBy('created').execute();
}
