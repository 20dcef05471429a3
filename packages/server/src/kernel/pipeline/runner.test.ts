import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { defineError, MeridianError } from '../errors/meridian-error.ts';
import { DIALECTS, openTestDb, type TestDb } from '../jobs/test-databases.ts';
import { definePipeline, MAX_DETAIL, runPipeline, step } from './pipeline.ts';
import { createPipelineRunner } from './runner.ts';

const StepRefused = defineError({
  code: 'test.step_refused',
  status: 400,
  summary: 'Only in the pipeline tests.',
  fix: 'None.',
});

interface Ctx {
  seen: string[];
  failAt?: string;
}

const pipeline = definePipeline<Ctx>('test.pipeline', [
  step('parse_input', (c) => {
    c.seen.push('parse_input');
    return 'parsed 3 fields';
  }),
  step('check_things', (c) => {
    c.seen.push('check_things');
    return { flagged: true, detail: 'one thing looks odd' };
  }),
  step('load_user', async (c) => {
    c.seen.push('load_user');
    if (c.failAt === 'load_user') throw new MeridianError(StepRefused, 'The user alice is disabled.');
  }),
  step('issue_session', (c) => {
    c.seen.push('issue_session');
    if (c.failAt === 'issue_session') throw new Error('x'.repeat(2000));
    return undefined;
  }),
]);

describe('step pipelines', () => {
  test('steps run in order; a flagged step lets the run go on; the first failure stops it', async () => {
    const ok: Ctx = { seen: [] };
    const r = await runPipeline(pipeline, ok, { subject: 'alice' });
    assert.deepEqual(ok.seen, ['parse_input', 'check_things', 'load_user', 'issue_session']);
    assert.equal(r.outcome, 'succeeded');
    assert.equal(r.code, undefined);
    assert.deepEqual(
      r.steps.map((s) => [s.name, s.outcome, s.detail]),
      [
        ['parse_input', 'ok', 'parsed 3 fields'],
        ['check_things', 'flagged', 'one thing looks odd'],
        ['load_user', 'ok', ''],
        ['issue_session', 'ok', ''],
      ],
    );
    const bad: Ctx = { seen: [], failAt: 'load_user' };
    const f = await runPipeline(pipeline, bad, { subject: 'alice' });
    assert.deepEqual(bad.seen, ['parse_input', 'check_things', 'load_user']);
    assert.equal(f.outcome, 'failed');
    assert.equal(f.code, 'test.step_refused');
    assert.ok(f.error instanceof MeridianError);
    assert.deepEqual(f.steps.at(-1), {
      name: 'load_user',
      outcome: 'failed',
      ms: f.steps.at(-1)!.ms,
      detail: 'test.step_refused: The user alice is disabled.',
    });
    const crash = await runPipeline(pipeline, { seen: [], failAt: 'issue_session' }, { subject: 'alice' });
    assert.equal(crash.code, 'error');
    assert.equal(crash.steps.at(-1)!.detail.length, MAX_DETAIL, 'details are kept short');
  });

  test('a pipeline cannot list a step twice', () => {
    assert.throws(() => definePipeline('test.twice', [step('a', () => {}), step('a', () => {})]), /twice/);
  });
});

for (const dialect of DIALECTS) {
  describe(`pipeline traces on ${dialect}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(dialect);
    });
    after(() => t.cleanup());

    test('each run leaves a trace: list (filters, paging) and get', async () => {
      const runner = createPipelineRunner({ db: t.db, keepDays: 14, nodeId: 'node-1' });
      const good = await runner.run(pipeline, { seen: [] }, 'alice');
      const bad = await runner.run(pipeline, { seen: [], failAt: 'load_user' }, 'bob');
      assert.equal(good.outcome, 'succeeded');
      const other = definePipeline<Ctx>('test.other', [step('only_step', () => 'done')]);
      await runner.run(other, { seen: [] }, 'carol');

      const trace = await runner.get(bad.traceId!);
      assert.equal(trace.pipeline, 'test.pipeline');
      assert.equal(trace.subject, 'bob');
      assert.equal(trace.outcome, 'failed');
      assert.equal(trace.code, 'test.step_refused');
      assert.equal(trace.node, 'node-1');
      assert.deepEqual(trace.steps, bad.steps);
      assert.ok(trace.started > Date.now() - 60_000 && trace.durationMs >= 0);

      const all = await runner.list({ pipeline: 'test.pipeline' });
      assert.equal(all.total, 2);
      assert.deepEqual(new Set(all.traces.map((x) => x.subject)), new Set(['alice', 'bob']));
      const failed = await runner.list({ outcome: 'failed' });
      assert.deepEqual(
        failed.traces.map((x) => x.id),
        [bad.traceId],
      );
      const p1 = await runner.list({ start: 1, num: 2 });
      assert.deepEqual([p1.total, p1.start, p1.num, p1.nextStart, p1.traces.length], [3, 1, 2, 3, 2]);
      const p2 = await runner.list({ start: 3, num: 2 });
      assert.deepEqual([p2.nextStart, p2.traces.length], [-1, 1]);
      await assert.rejects(runner.get('no-such-trace'), (e: MeridianError) => e.code === 'traces.not_found');
    });

    test('housekeeping deletes traces older than keepDays, on its own', async () => {
      let now = Date.now();
      const clock = { now: () => now };
      const runner = createPipelineRunner({ db: t.db, keepDays: 2, clock, sweepEveryMs: 3_600_000 });
      const housekeeping = definePipeline<Ctx>('test.housekeeping', [step('only_step', () => undefined)]);
      const old = await runner.run(housekeeping, { seen: [] }, 'old run');
      now += 1.5 * 86_400_000;
      const recent = await runner.run(housekeeping, { seen: [] }, 'recent run');
      assert.equal((await runner.list({ pipeline: 'test.housekeeping' })).total, 2);
      // Three days after the first run: recording a run sweeps (the last sweep is over an hour old).
      now += 1.5 * 86_400_000;
      await runner.run(housekeeping, { seen: [] }, 'new run');
      const left = await runner.list({ pipeline: 'test.housekeeping' });
      assert.deepEqual(left.traces.map((x) => x.subject).sort(), ['new run', 'recent run']);
      await assert.rejects(runner.get(old.traceId!), (e: MeridianError) => e.code === 'traces.not_found');
      assert.equal((await runner.get(recent.traceId!)).subject, 'recent run');
      // And sweep() on its own (what start() runs every hour).
      now += 2.5 * 86_400_000;
      assert.equal(await runner.sweep(), 2);
    });
  });
}
