/**
 * The sweep of copy services this portal published on its hosting server for a received
 * Feature Service copy whose change then never applied (the item unshared in between, the run
 * failing after the publish): the servers module records each service before it is made and
 * clears it when its received item settles on it. One still recorded after UNSETTLED_GRACE_MS,
 * and older than every sync run going on here (a run may still commit it), is looked at: a
 * received item with its URL (a run killed between its commit and the settle) settles on it;
 * otherwise nothing wants it and it is retired (its server's item here goes, its deletion is
 * queued). Runs with the transfer directory's sweep (partials-sweep.ts), at start and hourly.
 */
import type { CollaborationContext } from './context.ts';
import { oldestActiveRun } from './partials-sweep.ts';
import { receivedByLocal } from './sync-store.ts';

/** A copy service no item settled on is left this long (a run or a partnerApply may still commit it). */
export const UNSETTLED_GRACE_MS = 6 * 3_600_000;

/** Settles or retires the copy services left unsettled; answers the URLs retired. */
export async function sweepCopyServices(
  ctx: Pick<CollaborationContext, 'kernel' | 'content' | 'servers'>,
  now = Date.now(),
): Promise<string[]> {
  const db = ctx.kernel.db.kysely;
  const active = await oldestActiveRun(ctx);
  const before = Math.min(now - UNSETTLED_GRACE_MS, active ?? Number.POSITIVE_INFINITY);
  const retired: string[] = [];
  for (const url of await ctx.servers.unsettled(before)) {
    let copy: string | undefined;
    for (const id of await ctx.content.items.itemIdsByUrl(db, url))
      if ((await receivedByLocal(db, id)).length) copy = id;
    if (copy) await ctx.servers.settle(url, copy);
    else {
      await ctx.servers.retireUnsettled(url);
      retired.push(url);
    }
  }
  return retired;
}
