/**
 * Real-time sync on a guest: for each workspace whose link enables it, a run is kept going —
 * it pushes this portal's changes, then waits on the host's feed (a bounded wait on the host,
 * so host changes arrive within seconds with no call into the guest). A committed local change
 * (bus, debounced) or the end of a run starts the next at once; runs that moved nothing leave
 * no history.
 *
 * Of several nodes of one portal, one holds a workspace's real-time watch at a time (a lease in
 * the database, renewed at each tick): only it starts the workspace's runs, so the guest keeps
 * one long-poll on the host per workspace. Another node takes the watch over at its next tick
 * when the holder gives it up (stopping), or once the lease expires unrenewed (it died).
 */
import type { CollaborationContext } from './context.ts';
import { linkOf } from './group-link.ts';
import { holdLease, leasesLike, releaseLeases } from './leases.ts';
import { startSync } from './sync-service.ts';

export const REALTIME_WAIT_MS = 5_000;
const TICK_MS = 2_000;
const DEBOUNCE_MS = 300;
/** How long a real-time watch stays with a node that stopped renewing it (it died). */
export const REALTIME_LEASE_MS = 10_000;
const LEASE_PREFIX = 'realtime:';
const leaseOf = (workspaceId: string) => `${LEASE_PREFIX}${workspaceId}`;

/**
 * Starts a real-time run for each enabled workspace that has none going and whose watch this
 * node holds (taken or renewed here); gives up watches of workspaces no longer in real time.
 */
export async function kickRealtime(ctx: CollaborationContext): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const node = ctx.kernel.bus.nodeId;
  const rows = await db
    .selectFrom('collaboration_workspaces as w')
    .innerJoin('collaborations as c', 'c.id', 'w.collaboration_id')
    .selectAll('w')
    .where('c.role', '=', 'guest')
    .where('w.realtime_sync', '=', 1)
    .execute();
  const enabled = rows.filter((w) => linkOf(w).enableRealtimeSync && w.portal_group_id);
  const names = new Set(enabled.map((w) => leaseOf(w.id)));
  const now = ctx.kernel.clock.now();
  const gone = (await leasesLike(db, LEASE_PREFIX)).filter(
    (l) => !names.has(l.name) && (l.holder === node || Number(l.expires) < now),
  );
  for (const l of gone) await releaseLeases(db, l.holder, [l.name]);
  for (const w of enabled)
    if (!ctx.stopping.aborted && (await holdLease(db, leaseOf(w.id), node, now, REALTIME_LEASE_MS)))
      await startSync(ctx, w.collaboration_id, w.id, 'realtime', { waitMs: REALTIME_WAIT_MS }).catch((err) =>
        ctx.kernel.log.debug({ err, workspace: w.id }, 'a real-time collaboration sync could not start'),
      );
}

/** Keeps real-time sync going on this node; answers the stop, which gives up this node's watches. */
export function startRealtime(ctx: CollaborationContext): () => Promise<void> {
  let busy: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const kick = () => {
    if (stopped) return;
    if (busy) {
      again = true;
      return;
    }
    busy = kickRealtime(ctx)
      .catch((err) => ctx.kernel.log.warn({ err }, 'real-time collaboration sync failed to start'))
      .finally(() => {
        busy = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  };
  let debounce: NodeJS.Timeout | undefined;
  const offChanges = ctx.content.changes.onChange(() => {
    clearTimeout(debounce);
    debounce = setTimeout(kick, DEBOUNCE_MS);
    debounce.unref();
  });
  const offJobs = ctx.kernel.bus.on('jobs.changed', (e) => {
    if (e.data.kind === 'collaboration.sync' && ['succeeded', 'failed', 'cancelled'].includes(e.data.status))
      kick();
  });
  const timer = setInterval(kick, TICK_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(debounce);
    offChanges();
    offJobs();
    // A kick in flight may still take a watch: it ends first, then every watch held here goes.
    await busy;
    await releaseLeases(ctx.kernel.db.kysely, ctx.kernel.bus.nodeId).catch((err) =>
      ctx.kernel.log.warn({ err }, 'giving up the real-time sync watches failed'),
    );
  };
}
