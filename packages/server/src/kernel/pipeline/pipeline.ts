/**
 * A protocol handler as a list of small named steps over one context object, run in order and
 * stopped at the first failure. Each run yields a record of every step (name, outcome, time, a
 * short detail) that the runner keeps as a trace an administrator can read (runner.ts).
 */

/** What a step may say about itself: a short detail, and whether it found a problem without failing. */
export type StepNote = undefined | string | { detail?: string; flagged?: boolean };

export interface Step<C> {
  /** verb_noun, stable: it appears in traces. */
  readonly name: string;
  /** Throws to fail the run; returns a note (never a secret) for the trace. */
  run(ctx: C): StepNote | Promise<StepNote>;
}

export interface Pipeline<C> {
  readonly name: string;
  readonly steps: readonly Step<C>[];
}

/**
 * ok: passed. flagged: ran and found something (later steps decide what it means; the run goes
 * on). failed: threw; the run stops there.
 */
export type StepOutcome = 'ok' | 'flagged' | 'failed';

export interface StepRecord {
  name: string;
  outcome: StepOutcome;
  ms: number;
  detail: string;
}

export interface PipelineRun {
  pipeline: string;
  subject: string;
  outcome: 'succeeded' | 'failed';
  /** Epoch ms. */
  started: number;
  durationMs: number;
  steps: StepRecord[];
  /** The error of the failed step (its `code`, when it has one, names the failure). */
  error?: unknown;
  /** The failure's code: the error's `code`, or 'error' for an error without one. */
  code?: string;
}

/** Longest detail kept per step: traces are for reading, not for carrying documents. */
export const MAX_DETAIL = 300;

export function definePipeline<C>(name: string, steps: readonly Step<C>[]): Pipeline<C> {
  const seen = new Set<string>();
  for (const s of steps) {
    if (seen.has(s.name)) throw new Error(`pipeline ${name}: step ${s.name} is listed twice`);
    seen.add(s.name);
  }
  return { name, steps };
}

/** A step from a name and a function (for lists written inline). */
export function step<C>(name: string, run: Step<C>['run']): Step<C> {
  return { name, run };
}

export function shorten(text: string, max = MAX_DETAIL): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
}

/** What a failure is called in a trace: "code: message" (the message is written for clients, never a secret). */
export function describeFailure(err: unknown): { code: string; detail: string } {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const code = typeof e?.code === 'string' && e.code ? e.code : 'error';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return { code, detail: shorten(`${code}: ${message}`) };
}

/** Runs the steps in order on `ctx`, stopping at the first that throws. Never throws itself. */
export async function runPipeline<C>(
  pipeline: Pipeline<C>,
  ctx: C,
  opts: { subject: string; now?: () => number },
): Promise<PipelineRun> {
  const started = (opts.now ?? Date.now)();
  const t0 = performance.now();
  const run: PipelineRun = {
    pipeline: pipeline.name,
    subject: shorten(opts.subject),
    outcome: 'succeeded',
    started,
    durationMs: 0,
    steps: [],
  };
  for (const s of pipeline.steps) {
    const s0 = performance.now();
    try {
      const note = await s.run(ctx);
      const n = typeof note === 'string' ? { detail: note } : (note ?? {});
      run.steps.push({
        name: s.name,
        outcome: n.flagged ? 'flagged' : 'ok',
        ms: Math.round(performance.now() - s0),
        detail: shorten(n.detail ?? ''),
      });
    } catch (err) {
      const f = describeFailure(err);
      run.steps.push({
        name: s.name,
        outcome: 'failed',
        ms: Math.round(performance.now() - s0),
        detail: f.detail,
      });
      run.outcome = 'failed';
      run.error = err;
      run.code = f.code;
      break;
    }
  }
  run.durationMs = Math.round(performance.now() - t0);
  return run;
}
