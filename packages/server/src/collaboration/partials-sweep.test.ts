/**
 * The transfer directory's sweep on a real portal (SQLite and PostgreSQL): copies left on their
 * way into the file store go once an hour old; partial and checked files no transfer wrote for
 * a week go, unless a sync run going on here was created before their last write; other names
 * stay.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import type { CollaborationContext } from './context.ts';
import { sweepPartials } from './partials-sweep.ts';
import { insertRun, updateRun } from './run-store.ts';

const DAY = 24 * 3_600_000;

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration transfer directory sweep (${database})`, () => {
    let portal: TestPortal;
    let ctx: CollaborationContext;
    let dir: string;
    before(async () => {
      portal = await startTestPortal({ database });
      dir = join(portal.home, 'files', '.collaboration-partials');
      ctx = { kernel: portal.kernel, partialsDir: dir } as unknown as CollaborationContext;
    });
    after(() => portal?.close());

    const sha = (c: string) => c.repeat(64);
    const write = (name: string, ageMs: number) => {
      writeFileSync(join(dir, name), 'bytes');
      const t = new Date(Date.now() - ageMs);
      utimesSync(join(dir, name), t, t);
    };
    const left = () => readdirSync(dir).sort();

    test('leftover copies after an hour; partial files untouched for a week, unless a run going on may continue them', async () => {
      assert.deepEqual(await sweepPartials(ctx), [], 'no directory yet: nothing to do');
      mkdirSync(dir, { recursive: true });
      const copy = `${sha('a')}.${Date.now()}.3f9c2a`;
      const freshCopy = `${sha('b')}.${Date.now()}.77e1`;
      write(copy, 2 * 3_600_000);
      write(freshCopy, 60_000);
      write(`${sha('c')}.part`, 8 * DAY);
      write(`${sha('d')}.ok`, 8 * DAY);
      write(`${sha('e')}.part`, 6 * DAY);
      write('notes.txt', 30 * DAY);
      // A run still going, created 9 days ago: files written since may be its own.
      await insertRun(portal.kernel.db.kysely, {
        id: 'run-going-on',
        collaboration_id: 'c',
        workspace_id: 'w',
        exec_type: 'manual',
        status: 'in_progress',
        start_time: Date.now() - 9 * DAY,
        end_time: null,
        summary: '{}',
        history: '{"moved":[],"errors":[],"overwritten":[]}',
        created: Date.now() - 9 * DAY,
      });
      assert.deepEqual(await sweepPartials(ctx), [copy]);
      assert.deepEqual(
        left(),
        [freshCopy, `${sha('c')}.part`, `${sha('d')}.ok`, `${sha('e')}.part`, 'notes.txt'].sort(),
      );
      await updateRun(portal.kernel.db.kysely, 'run-going-on', { status: 'completed', end_time: Date.now() });
      assert.deepEqual((await sweepPartials(ctx)).sort(), [`${sha('c')}.part`, `${sha('d')}.ok`]);
      assert.deepEqual(left(), [freshCopy, `${sha('e')}.part`, 'notes.txt'].sort());
    });
  });
}
