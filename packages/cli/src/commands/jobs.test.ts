import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createJobService, type JobService } from '@meridian/server/kernel/jobs/job-service.ts';
import { countRows } from '@meridian/server/kernel/jobs/test-kinds.ts';
import { loadPortalConfig, openPortalNode, type PortalNode } from '@meridian/server/roles/portal.ts';
import { portalCli } from '@meridian/server/roles/portal-commands.ts';
import { createPgDatabase } from '../../../server/test/pg-databases.ts';
import { runIn } from '../test-run.ts';
import { jobsCommands } from './jobs-commands.ts';

/** The portal's commands with a watch that reads the job often and draws a line every 100 ms. */
const role = portalCli(jobsCommands({ pollMs: 50, lineEveryMs: 100 }));

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`meridian jobs (${database})`, () => {
    let home: string;
    let where: string[];
    let dropDb: (() => Promise<void>) | undefined;
    // The node running the jobs (a portal node on the same data), with a quick worker.
    let node: PortalNode;
    let jobs: JobService;
    const jobsCli = (args: string[]) => runIn(role, ['jobs', ...args, ...where]);
    before(async () => {
      home = mkdtempSync(join(tmpdir(), 'meridian-cli-jobs-'));
      let url = '';
      if (database === 'postgres') ({ url, drop: dropDb } = await createPgDatabase());
      where = ['--home', home, ...(url ? ['--database-url', url] : [])];
      node = await openPortalNode(
        loadPortalConfig({ env: {}, overrides: { home, 'database.url': url, 'log.level': 'silent' } }),
        { logger: false },
      );
      await node.kernel.bus.start();
      jobs = createJobService(
        { db: node.kernel.db, bus: node.kernel.bus, nodeId: 'portal-node' },
        { pollMs: 100, progressEveryMs: 100 },
      );
      jobs.register('test.count', countRows);
      jobs.startWorker();
    });
    after(async () => {
      await jobs.stop();
      await node.close();
      await dropDb?.();
      rmSync(home, { recursive: true, force: true });
    });

    test('watch draws a progress bar until the job succeeds (exit code 0), then prints the result', async () => {
      const id = await jobs.start('test.count', { total: 40, stepMs: 25 });
      const r = await jobsCli(['watch', id]);
      assert.equal(r.code, 0, r.stderr);
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
      const id = await jobs.start('test.count', { total: 3, stepMs: 0 });
      await jobsCli(['watch', id]);
      const list = await jobsCli(['list']);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^ID\s+KIND\s+STATUS\s+PROGRESS\s+CREATED\s+NODE\n/);
      assert.match(
        list.stdout,
        new RegExp(
          `\\n${id}\\s+test\\.count\\s+succeeded\\s+3/3 \\(100%\\) row 3 of 3\\s+\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\s+portal-node\\n`,
        ),
      );
      const none = await jobsCli(['list', '--status', 'queued']);
      assert.equal(none.stdout, 'No jobs.\n');
      const show = await jobsCli(['show', id]);
      const shown = JSON.parse(show.stdout);
      assert.equal(shown.id, id);
      assert.equal(shown.status, 'succeeded');
      assert.deepEqual(shown.progress, { done: 3, total: 3, message: 'row 3 of 3' });
      assert.match(shown.finished, /^\d{4}-\d\d-\d\dT/);
    });

    test('cancel: the watched job ends cancelled, and watch fails with its code (exit code 1)', async () => {
      const id = await jobs.start('test.count', { total: 100_000, stepMs: 20 });
      const watching = jobsCli(['watch', id]);
      while ((await jobs.get(id)).progress.done === 0) await sleep(50);
      const c = await jobsCli(['cancel', id]);
      assert.equal(c.code, 0, c.stderr);
      // On PostgreSQL the running node may have stopped it already by the time the answer is read.
      assert.ok(
        c.stdout === `${id} cancelled\n` ||
          c.stdout ===
            `${id}: cancel requested; the node running it stops it (meridian jobs watch ${id} ${where.join(' ')})\n`,
        c.stdout,
      );
      const w = await watching;
      assert.equal(w.code, 1, w.stderr);
      assert.match(
        w.stderr.trimEnd().split('\n').at(-1)!,
        new RegExp(`^meridian: Job ${id} \\(test\\.count\\) cancelled: .*\\[jobs\\.cancelled\\]$`),
      );
      assert.equal(w.stdout, '');
      assert.equal((await jobs.get(id)).status, 'cancelled');
    });

    test('mistakes: a missing ID or a wrong status is a usage error (2), an unknown job jobs.not_found (1)', async () => {
      const missing = await jobsCli(['show']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^meridian jobs show: ID is missing\./);
      const status = await jobsCli(['list', '--status', 'done']);
      assert.equal(status.code, 2);
      assert.match(
        status.stderr,
        /--status is one of queued, running, succeeded, failed, cancelled, not 'done'/,
      );
      assert.equal((await jobsCli(['frobnicate'])).code, 2);
      const unknown = await jobsCli(['watch', 'no-such-job']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /\[jobs\.not_found\]\n$/);
    });
  });
}
