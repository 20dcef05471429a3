import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeBus } from '../bus/bus.ts';
import type { Db } from '../db/database.ts';
import { defineError, MeridianError } from '../errors/meridian-error.ts';
import type { Job } from './job.ts';
import { createJobService, type JobService, type JobServiceOptions } from './job-service.ts';
import { DIALECTS, openTestDb, type TestDb } from './test-databases.ts';
import { countRows } from './test-kinds.ts';
import type { JobChange } from './topics.ts';

const nodeBin = join(import.meta.dirname, '../../../../../node_modules/.bin/node');

const TestRefusal = defineError({
  code: 'test.jobs_refusal',
  status: 400,
  summary: 'Only in the jobs tests.',
  fix: 'None.',
});

/** Waits until the job satisfies `ok` (the service is polled, as the CLI and the UI do). */
async function until(jobs: JobService, id: string, ok: (j: Job) => boolean, ms = 15_000): Promise<Job> {
  const t0 = Date.now();
  for (;;) {
    const j = await jobs.get(id);
    if (ok(j)) return j;
    if (Date.now() - t0 > ms)
      assert.fail(`job ${id} did not get there within ${ms} ms: ${JSON.stringify(j)}`);
    await sleep(50);
  }
}

const ended = (j: Job) => ['succeeded', 'failed', 'cancelled'].includes(j.status);

for (const dialect of DIALECTS) {
  describe(`jobs on ${dialect}`, () => {
    let t: TestDb;
    const opened: { db: Db; bus: ChangeBus; jobs: JobService }[] = [];
    /** A node: its own connection, change bus and jobs service on the shared database. */
    const node = async (name: string, opts: JobServiceOptions = {}) => {
      const db = t.openAgain();
      const bus = new ChangeBus(db);
      await bus.start();
      const jobs = createJobService(
        { db, bus, nodeId: name },
        { pollMs: 100, progressEveryMs: 100, ...opts },
      );
      jobs.register('test.count', countRows);
      jobs.register('test.count_resumable', countRows, { resumable: true });
      opened.push({ db, bus, jobs });
      return { jobs, bus };
    };
    before(async () => {
      t = await openTestDb(dialect);
    });
    // Each test's nodes stop with it, so that none of them runs the next test's jobs.
    afterEach(async () => {
      for (const o of opened.splice(0)) {
        await o.jobs.stop();
        await o.bus.stop();
        await o.db.close();
      }
    });
    after(() => t.cleanup());

    test('a job runs to success with its result; progress is written throttled, not per row', async () => {
      const { jobs, bus } = await node('a');
      const seen: JobChange[] = [];
      bus.on('jobs.changed', (e) => void seen.push(e.data));
      jobs.startWorker();
      const id = await jobs.start('test.count', { total: 30_000, stepMs: 0 });
      const done = await until(jobs, id, ended);
      assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
      assert.deepEqual(done.result, { counted: 30_000, resumedFrom: 0 });
      assert.deepEqual(done.progress, { done: 30_000, total: 30_000, message: 'row 30000 of 30000' });
      assert.deepEqual(done.input, { total: 30_000, stepMs: 0 });
      assert.equal(done.error, null);
      assert.equal(done.node, 'a');
      assert.equal(done.attempts, 1);
      assert.ok(done.started! >= done.created && done.finished! >= done.started!);
      const mine = seen.filter((c) => c.id === id);
      assert.equal(mine[0]?.status, 'queued');
      assert.equal(mine.at(-1)?.status, 'succeeded');
      // 30 000 progress calls: a handful of writes (each announced), far from one per row.
      assert.ok(mine.length < 100, `${mine.length} announcements for 30 000 rows`);
    });

    test('failures keep their code; an unexpected error is jobs.failed; an unknown kind is refused', async () => {
      const { jobs } = await node('b');
      jobs.register('test.refuse', async () => {
        throw new MeridianError(TestRefusal, 'The input names no layer.');
      });
      jobs.register('test.crash', async () => {
        throw new TypeError('boom');
      });
      jobs.startWorker();
      const refused = await until(jobs, await jobs.start('test.refuse', {}), ended);
      assert.equal(refused.status, 'failed');
      assert.deepEqual(refused.error, { code: 'test.jobs_refusal', message: 'The input names no layer.' });
      const crashed = await until(jobs, await jobs.start('test.crash', {}), ended);
      assert.deepEqual(crashed.error, { code: 'jobs.failed', message: 'boom' });
      await assert.rejects(
        jobs.start('test.nothing', {}),
        (e: MeridianError) => e.code === 'jobs.unknown_kind',
      );
      await assert.rejects(jobs.get('no-such-job'), (e: MeridianError) => e.code === 'jobs.not_found');
    });

    test('list: filters by status and kind, pages with total, start, num and nextStart', async () => {
      const { jobs } = await node('lister');
      // No worker on this node, and no other node runs test.listed: these stay queued.
      jobs.register('test.listed', async () => null);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await jobs.start('test.listed', { i }));
      const p1 = await jobs.list({ kind: 'test.listed', start: 1, num: 2 });
      assert.equal(p1.total, 5);
      assert.deepEqual([p1.start, p1.num, p1.nextStart], [1, 2, 3]);
      assert.equal(p1.jobs.length, 2);
      const p3 = await jobs.list({ kind: 'test.listed', start: 5, num: 2 });
      assert.equal(p3.jobs.length, 1);
      assert.equal(p3.nextStart, -1);
      const all = [
        ...p1.jobs,
        ...(await jobs.list({ kind: 'test.listed', start: 3, num: 2 })).jobs,
        ...p3.jobs,
      ];
      assert.deepEqual(new Set(all.map((j) => j.id)), new Set(ids), 'every job once over the pages');
      assert.equal((await jobs.list({ kind: 'test.listed', status: 'queued' })).total, 5);
      assert.equal((await jobs.list({ kind: 'test.listed', status: 'running' })).total, 0);
      // A queued job is cancelled at once.
      const c = await jobs.cancel(ids[0]!);
      assert.equal(c.status, 'cancelled');
      assert.equal(c.error?.code, 'jobs.cancelled');
      assert.equal((await jobs.list({ kind: 'test.listed', status: 'cancelled' })).total, 1);
      for (const id of ids.slice(1)) await jobs.cancel(id);
    });

    test('cancel a running job: its signal aborts, it ends cancelled; cancelling again changes nothing; an ended job cannot be', async () => {
      const { jobs } = await node('c');
      jobs.startWorker();
      const id = await jobs.start('test.count', { total: 10_000, stepMs: 20 });
      await until(jobs, id, (j) => j.progress.done > 0);
      const asked = await jobs.cancel(id);
      assert.equal(asked.cancelRequested, true);
      const done = await until(jobs, id, ended);
      assert.equal(done.status, 'cancelled');
      assert.equal(done.error?.code, 'jobs.cancelled');
      assert.ok(done.progress.done < 10_000);
      assert.equal((await jobs.cancel(id)).status, 'cancelled');
      const ok = await until(jobs, await jobs.start('test.count', { total: 1, stepMs: 0 }), ended);
      await assert.rejects(jobs.cancel(ok.id), (e: MeridianError) => {
        assert.equal(e.code, 'jobs.already_ended');
        assert.match(e.message, /has already succeeded/);
        return true;
      });
    });

    test('a cancel asked on another node reaches the node running the job', async () => {
      const runner = await node('d-runner');
      const other = await node('d-other');
      runner.jobs.startWorker();
      const id = await other.jobs.start('test.count', { total: 10_000, stepMs: 20 });
      const running = await until(other.jobs, id, (j) => j.progress.done > 0);
      assert.equal(running.node, 'd-runner');
      await other.jobs.cancel(id);
      const done = await until(other.jobs, id, ended);
      assert.equal(done.status, 'cancelled');
    });

    test('two nodes share queued jobs and run each exactly once', async () => {
      const a = await node('e-a');
      const b = await node('e-b');
      const ran = new Map<string, number>();
      for (const n of [a, b])
        n.jobs.register('test.once', async (job) => {
          ran.set(job.id, (ran.get(job.id) ?? 0) + 1);
          await sleep(30);
          return null;
        });
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => a.jobs.start('test.once', { i })));
      a.jobs.startWorker();
      b.jobs.startWorker();
      const done = await Promise.all(ids.map((id) => until(a.jobs, id, ended)));
      assert.ok(done.every((j) => j.status === 'succeeded' && j.attempts === 1));
      assert.deepEqual(
        [...ran.values()],
        ids.map(() => 1),
      );
    });

    test('a node that stops mid-job hands it on at once: a resumable job runs again elsewhere', async () => {
      const first = await node('f-first', { leaseMs: 60_000 });
      first.jobs.startWorker();
      const id = await first.jobs.start('test.count_resumable', { total: 100, stepMs: 20 });
      await until(first.jobs, id, (j) => j.progress.done >= 10);
      await first.jobs.stop();
      const second = await node('f-second', { leaseMs: 60_000 });
      second.jobs.startWorker();
      const done = await until(second.jobs, id, ended);
      assert.equal(done.status, 'succeeded');
      assert.equal(done.node, 'f-second');
      assert.equal(done.attempts, 2);
      const r = done.result as { resumedFrom: number };
      assert.ok(r.resumedFrom > 0, 'it went on from the progress the first node had written');
    });

    for (const resumable of [true, false]) {
      test(`a node killed mid-job (SIGKILL): after its lease expires, ${resumable ? 'a resumable job is run again here' : 'the job is marked failed, "interrupted by a restart"'}`, async () => {
        const starter = await node(`g-starter-${resumable}`, { leaseMs: 1000 });
        const child: ChildProcess = spawn(
          nodeBin,
          [
            '--disable-warning=ExperimentalWarning',
            join(import.meta.dirname, 'test-node.ts'),
            t.target,
            '1000',
          ],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        try {
          await once(child.stdout!, 'data');
          const kind = resumable ? 'test.count_resumable' : 'test.count';
          const id = await starter.jobs.start(kind, { total: 100, stepMs: 30 });
          const mid = await until(starter.jobs, id, (j) => j.status === 'running' && j.progress.done >= 5);
          assert.equal(mid.node, 'child-node');
          child.kill('SIGKILL');
          await once(child, 'exit');
          // This node's worker finds the expired lease (a restarted node does the same).
          starter.jobs.startWorker();
          const done = await until(starter.jobs, id, ended);
          if (resumable) {
            assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
            assert.equal(done.node, `g-starter-${resumable}`);
            assert.equal(done.attempts, 2);
            assert.ok((done.result as { resumedFrom: number }).resumedFrom >= 5);
          } else {
            assert.equal(done.status, 'failed');
            assert.equal(done.error?.code, 'jobs.interrupted');
            assert.match(done.error!.message, /interrupted by a restart/);
            assert.ok(done.progress.done >= 5, 'the progress written before the crash is kept');
          }
        } finally {
          if (child.exitCode === null) child.kill('SIGKILL');
        }
      });
    }
  });
}
