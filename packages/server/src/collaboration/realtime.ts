/**
 * Real-time sync on a guest: for each workspace whose link enables it, a run is kept going —
 * it pushes this portal's changes, then waits on the host's feed (a bounded wait on the host,
 * so host changes arrive within seconds with no call into the guest). A committed local change
 * (bus, debounced) or the end of a run starts the next at once; runs that moved nothing leave
 * no history.
 */
import type { CollaborationContext } from './context.ts';
import { linkOf } from './group-link.ts';
import { startSync } from './sync-service.ts';

export const REALTIME_WAIT_MS = 5_000;
const TICK_MS = 2_000;
const DEBOUNCE_MS = 300;

/** Starts a real-time run for each enabled workspace that has none going. */
export async function kickRealtime(ctx: CollaborationContext): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const rows = await db
    .selectFrom('collaboration_workspaces as w')
    .innerJoin('collaborations as c', 'c.id', 'w.collaboration_id')
    .selectAll('w')
    .where('c.role', '=', 'guest')
    .where('w.realtime_sync', '=', 1)
    .execute();
  for (const w of rows)
    if (linkOf(w).enableRealtimeSync && w.portal_group_id)
      await startSync(ctx, w.collaboration_id, w.id, 'realtime', { waitMs: REALTIME_WAIT_MS }).catch((err) =>
        ctx.kernel.log.debug({ err, workspace: w.id }, 'a real-time collaboration sync could not start'),
      );
}

export function startRealtime(ctx: CollaborationContext): () => void {
  let busy = false;
  let again = false;
  const kick = () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    kickRealtime(ctx)
      .catch((err) => ctx.kernel.log.warn({ err }, 'real-time collaboration sync failed to start'))
      .finally(() => {
        busy = false;
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
  return () => {
    clearInterval(timer);
    clearTimeout(debounce);
    offChanges();
    offJobs();
  };
}
