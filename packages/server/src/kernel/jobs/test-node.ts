/**
 * A second node for the jobs tests, in its own process so that it can die for real (SIGKILL)
 * in the middle of a job: node test-node.ts DATABASE LEASE_MS. DATABASE is a PostgreSQL URL or
 * a SQLite file. It runs test.count and test.count_resumable jobs until it is killed, and
 * prints "ready" once its worker runs.
 */
import { ChangeBus } from '../bus/bus.ts';
import { openDatabase } from '../db/database.ts';
import { createJobService } from './job-service.ts';
import { countRows } from './test-kinds.ts';

const [target, lease] = process.argv.slice(2);
const db = target!.startsWith('postgres')
  ? openDatabase({ url: target })
  : openDatabase({ sqlitePath: target });
const bus = new ChangeBus(db);
await bus.start();
const jobs = createJobService(
  { db, bus, nodeId: 'child-node' },
  { leaseMs: Number(lease), pollMs: 100, progressEveryMs: 50 },
);
jobs.register('test.count', countRows);
jobs.register('test.count_resumable', countRows, { resumable: true });
jobs.startWorker();
// The worker's and the bus's timers do not hold a process open (a portal's listeners do): this does.
setInterval(() => {}, 60_000);
process.stdout.write('ready\n');
