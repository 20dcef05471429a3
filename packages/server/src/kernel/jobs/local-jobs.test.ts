import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeBus } from '../bus/bus.ts';
import type { Db } from '../db/database.ts';
import type { Job } from './job.ts';
import { createJobService, type JobService, type JobServiceOptions } from './job-service.ts';
import { DIALECTS, openTestDb, type TestDb } from './test-databases.ts';
import { countRows } from './test-kinds.ts';

/**
 * Local jobs (register(kind, handler, { local: true })): only the node that started one runs
 * it, however many nodes share the database and are idle; when that node stops before running
 * it, another node fails it as interrupted instead of running it.
 */
async function until(jobs: JobService, id: string, ok: (j: Job) => boolean, ms = 10_000): Promise<Job> {
  const t0 = Date.now();
  for (;;) {
    const j = await jobs.get(id);
    if (ok(j)) return j;
    if (Date.now() - t0 > ms)
      assert.fail(`job ${id} did not get there within ${ms} ms: ${JSON.stringify(j)}`);
    await sleep(50);
  }
}

for (const dialect of DIALECTS) {
  describe(`local jobs on ${dialect}`, () => {
    let t: TestDb;
    const opened: { db: Db; bus: ChangeBus; jobs: JobService }[] = [];
    const node = async (name: string, opts: JobServiceOptions = {}) => {
      const db = t.openAgain();
      const bus = new ChangeBus(db);
      await bus.start();
      const jobs = createJobService({ db, bus, nodeId: name }, { pollMs: 50, progressEveryMs: 50, ...opts });
      jobs.register('test.local', countRows, { local: true, resumable: true });
      jobs.register('test.count', countRows);
      const o = { db, bus, jobs };
      opened.push(o);
      return o;
    };
    const close = async (o: (typeof opened)[number]) => {
      opened.splice(opened.indexOf(o), 1);
      await o.jobs.stop();
      await o.bus.stop();
      await o.db.close();
    };
    before(async () => {
      t = await openTestDb(dialect);
    });
    afterEach(async () => {
      for (const o of [...opened]) await close(o);
    });
    after(() => t.cleanup());

    test('a local job waits for the node that started it while another node idles', async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      b.jobs.startWorker();
      const id = await a.jobs.start('test.local', { total: 3, stepMs: 0 });
      // Node B runs ordinary jobs meanwhile: it is working, and leaves the local one alone.
      const other = await a.jobs.start('test.count', { total: 3, stepMs: 0 });
      assert.equal((await until(b.jobs, other, (j) => j.status === 'succeeded')).node, 'node-b');
      await sleep(300);
      const waiting = await b.jobs.get(id);
      assert.deepEqual([waiting.status, waiting.node, waiting.resumable], ['queued', 'node-a', false]);
      a.jobs.startWorker();
      const done = await until(a.jobs, id, (j) => j.status === 'succeeded');
      assert.equal(done.node, 'node-a');
      assert.equal(done.attempts, 1);
    });

    test('its node alive but busy, the pin is renewed: the job runs late, not failed', async () => {
      const a = await node('node-a', { leaseMs: 300, concurrency: 1 });
      const b = await node('node-b', { leaseMs: 300 });
      b.jobs.startWorker();
      a.jobs.startWorker();
      const busy = await a.jobs.start('test.local', { total: 20, stepMs: 50 });
      const id = await a.jobs.start('test.local', { total: 2, stepMs: 0 });
      const first = await until(a.jobs, busy, (j) => j.status === 'succeeded');
      const second = await until(a.jobs, id, (j) => j.status === 'succeeded');
      assert.ok(first.finished! - first.started! > 600, 'the wait outlasted two pin periods');
      assert.equal(second.node, 'node-a');
    });

    test('its node stops before running it: another node fails it as interrupted', async () => {
      const a = await node('node-a', { leaseMs: 200 });
      const b = await node('node-b', { leaseMs: 200 });
      const id = await a.jobs.start('test.local', { total: 3, stepMs: 0 });
      await close(a);
      b.jobs.startWorker();
      const j = await until(b.jobs, id, (x) => x.status !== 'queued');
      assert.equal(j.status, 'failed');
      assert.equal(j.error?.code, 'jobs.interrupted');
      assert.match(j.error!.message, /node that received it .* stopped before running it/);
      assert.equal(j.attempts, 0, 'never run elsewhere');
    });

    test('cancelling a queued local job from another node cancels it', async () => {
      const a = await node('node-a');
      const b = await node('node-b');
      const id = await a.jobs.start('test.local', { total: 3, stepMs: 0 });
      assert.equal((await b.jobs.cancel(id)).status, 'cancelled');
    });
  });
}
