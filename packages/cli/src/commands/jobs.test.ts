import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChangeBus } from '@meridian/server/kernel/bus/bus.ts';
import type { MeridianError } from '@meridian/server/kernel/errors/meridian-error.ts';
import { createJobService, type JobService } from '@meridian/server/kernel/jobs/job-service.ts';
import { DIALECTS, openTestDb, type TestDb } from '@meridian/server/kernel/jobs/test-databases.ts';
import { countRows } from '@meridian/server/kernel/jobs/test-kinds.ts';
import { parseFlags } from '../flags.ts';
import { UsageError } from '../usage-error.ts';
import { jobsCommand } from './jobs.ts';

/** Runs `meridian jobs …` in this process as run.ts does (same flag parsing), with its output captured (not a terminal). */
async function jobsCli(args: string[], where: Record<string, string>) {
  const { words, flags } = parseFlags(['jobs', ...args]);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const ctx = { cwd: process.cwd(), self: 'meridian' };
  try {
    await jobsCommand(words.slice(1), { ...flags, ...where }, ctx, {
      stdout,
      stderr,
      pollMs: 50,
      lineEveryMs: 100,
    });
    return { error: undefined, stdout: out, stderr: err };
  } catch (error) {
    return { error: error as Error, stdout: out, stderr: err };
  }
}

for (const dialect of DIALECTS) {
  describe(`meridian jobs (${dialect})`, () => {
    let t: TestDb;
    let home: string;
    let where: Record<string, string>;
    let portal: { jobs: JobService; bus: ChangeBus; close(): Promise<void> };
    before(async () => {
      t = await openTestDb(dialect);
      home = dialect === 'sqlite' ? dirname(t.target) : mkdtempSync(join(tmpdir(), 'meridian-cli-jobs-'));
      where = dialect === 'sqlite' ? { '--home': home } : { '--home': home, '--database-url': t.target };
      // The node running the jobs (a portal), on the same database.
      const db = t.openAgain();
      const bus = new ChangeBus(db);
      await bus.start();
      const jobs = createJobService(
        { db, bus, nodeId: 'portal-node' },
        { pollMs: 100, progressEveryMs: 100 },
      );
      jobs.register('test.count', countRows);
      jobs.startWorker();
      portal = {
        jobs,
        bus,
        async close() {
          await jobs.stop();
          await bus.stop();
          await db.close();
        },
      };
    });
    after(async () => {
      await portal.close();
      await t.cleanup();
      if (dialect === 'postgres') rmSync(home, { recursive: true, force: true });
    });

    test('watch draws a progress bar until the job succeeds (exit code 0), then prints the result', async () => {
      const id = await portal.jobs.start('test.count', { total: 40, stepMs: 25 });
      const r = await jobsCli(['watch', id], where);
      assert.equal(r.error, undefined, r.error?.message);
      assert.equal(r.stdout, `${id} succeeded: {"counted":40,"resumedFrom":0}\n`);
      const lines = r.stderr.split('\n').filter(Boolean);
      assert.ok(lines.length >= 2, r.stderr);
      assert.match(lines.at(-1)!, /^test\.count \[=+\] 100% 40\/40 \| row 40 of 40$/);
      assert.ok(
        lines.some((l) => /^test\.count \[=*-+\] \d{1,2}% \d+\/40/.test(l)),
        `a line drawn while it ran:\n${r.stderr}`,
      );
    });

    test('list and show: the jobs of the database, newest first, with progress and ISO times', async () => {
      const id = await portal.jobs.start('test.count', { total: 3, stepMs: 0 });
      await jobsCli(['watch', id], where);
      const list = await jobsCli(['list'], where);
      assert.equal(list.error, undefined, list.error?.message);
      assert.match(list.stdout, /^ID\s+KIND\s+STATUS\s+PROGRESS\s+CREATED\s+NODE\n/);
      assert.match(
        list.stdout,
        new RegExp(
          `\\n${id}\\s+test\\.count\\s+succeeded\\s+3/3 \\(100%\\) row 3 of 3\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+portal-node\\n`,
        ),
      );
      const none = await jobsCli(['list', '--status', 'queued'], where);
      assert.equal(none.stdout, 'No jobs.\n');
      const show = await jobsCli(['show', id], where);
      const shown = JSON.parse(show.stdout);
      assert.equal(shown.id, id);
      assert.equal(shown.status, 'succeeded');
      assert.deepEqual(shown.progress, { done: 3, total: 3, message: 'row 3 of 3' });
      assert.match(shown.finished, /^\d{4}-\d\d-\d\dT/);
    });

    test('cancel: the watched job ends cancelled, and watch fails with its code (exit code 1)', async () => {
      const id = await portal.jobs.start('test.count', { total: 100_000, stepMs: 20 });
      const watching = jobsCli(['watch', id], where);
      while ((await portal.jobs.get(id)).progress.done === 0) await sleep(50);
      const c = await jobsCli(['cancel', id], where);
      assert.equal(c.error, undefined, c.error?.message);
      // On PostgreSQL the running node may have stopped it already by the time the answer is read.
      assert.ok(
        c.stdout === `${id} cancelled\n` ||
          c.stdout === `${id}: cancel requested; the node running it stops it (meridian jobs watch ${id})\n`,
        c.stdout,
      );
      const w = await watching;
      assert.equal((w.error as MeridianError | undefined)?.code, 'jobs.cancelled', w.error?.message);
      assert.match(w.error!.message, new RegExp(`^Job ${id} \\(test\\.count\\) cancelled`));
      assert.equal(w.stdout, '');
      assert.equal((await portal.jobs.get(id)).status, 'cancelled');
    });

    test('mistakes: a missing ID is a usage error, an unknown one is jobs.not_found', async () => {
      assert.ok((await jobsCli(['show'], where)).error instanceof UsageError);
      assert.ok((await jobsCli(['list', '--status', 'done'], where)).error instanceof UsageError);
      assert.ok((await jobsCli(['frobnicate'], where)).error instanceof UsageError);
      const missing = await jobsCli(['watch', 'no-such-job'], where);
      assert.equal((missing.error as MeridianError).code, 'jobs.not_found');
    });
  });
}
