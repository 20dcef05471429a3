import type { ChangeBus } from '../bus/bus.ts';
import type { Db } from '../db/database.ts';
import { JOB_STATUSES } from '../jobs/job.ts';
import type { Metrics } from './metrics.ts';

/**
 * The kernel's series: the PostgreSQL pool, the change bus's listener and the job queue, each
 * read when Prometheus scrapes (nothing is counted on the way).
 */
export function registerKernelMetrics(metrics: Metrics, kernel: { db: Db; bus: ChangeBus }): void {
  const { db, bus } = kernel;
  const pool = db.pool;
  if (pool)
    metrics.gauge(
      'meridian_db_pool_connections',
      'PostgreSQL connections of this node’s pool: total, idle, and requests waiting for one.',
      ['state'],
      (set) => {
        set({ state: 'total' }, pool.totalCount);
        set({ state: 'idle' }, pool.idleCount);
        set({ state: 'waiting' }, pool.waitingCount);
      },
    );
  metrics.counterFrom(
    'meridian_bus_reconnects_total',
    'Times the change listener (PostgreSQL LISTEN) reconnected after losing its connection.',
    () => bus.reconnects,
  );
  metrics.gauge(
    'meridian_bus_listener_up',
    'Whether this node receives other nodes’ changes: 1 while its change listener is connected (SQLite: polling), 0 otherwise.',
    [],
    (set) => set({}, bus.listening ? 1 : 0),
  );
  metrics.gauge('meridian_jobs', 'Jobs in the database (all nodes) by state.', ['state'], async (set) => {
    const rows = await db.kysely
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .execute();
    const counts = new Map(rows.map((r) => [r.status, Number(r.n)]));
    for (const state of JOB_STATUSES) set({ state }, counts.get(state) ?? 0);
  });
}
