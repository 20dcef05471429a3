import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import { type PageEnvelope, pageEnvelope } from '../jobs/paging.ts';
import { TraceNotFound } from './errors.ts';
import { type Pipeline, type PipelineRun, runPipeline, type StepRecord, shorten } from './pipeline.ts';
import './tables.ts';

const DAY = 86_400_000;

/** A run as administrators read it (GET portaladmin/traces). */
export interface Trace {
  id: string;
  pipeline: string;
  /** What the run was about (a URL without its query, a user name): never a secret. */
  subject: string;
  outcome: PipelineRun['outcome'];
  /** The failure's code (null when it succeeded). */
  code: string | null;
  /** Epoch ms. */
  started: number;
  durationMs: number;
  /** The node that ran it. */
  node: string;
  steps: StepRecord[];
}

export interface TraceFilter {
  pipeline?: string;
  outcome?: PipelineRun['outcome'];
  /** 1-based. */
  start?: number;
  num?: number;
}

/** A run and the id of its trace (undefined if the trace could not be written). */
export type RecordedRun = PipelineRun & { traceId: string | undefined };

export interface PipelineRunner {
  /**
   * Runs the pipeline on ctx and keeps its trace. Never throws: the failure is in the result.
   * The subject may be worked out from ctx after the run (what the steps found out it was about).
   */
  run<C>(pipeline: Pipeline<C>, ctx: C, subject: string | ((ctx: C) => string)): Promise<RecordedRun>;
  list(filter?: TraceFilter): Promise<PageEnvelope & { traces: Trace[] }>;
  /** Throws traces.not_found. */
  get(id: string): Promise<Trace>;
  /** Deletes the traces older than keepDays; returns how many. */
  sweep(): Promise<number>;
  /** Housekeeping: a sweep now and then every sweepEveryMs. */
  start(): void;
  stop(): void;
}

export interface PipelineRunnerOptions {
  db: Db;
  /** traces.keepDays. */
  keepDays: number;
  clock?: { now(): number };
  /** This node, recorded in each trace. */
  nodeId?: string;
  log?: { warn(obj: object, msg: string): void };
  /** Default one hour. Recording a run also sweeps when the last sweep is older than this. */
  sweepEveryMs?: number;
}

/**
 * The step pipeline runner: runs a pipeline and records its trace (one row per run, steps as
 * JSON). Traces older than keepDays are deleted by its own housekeeping: on start(), then
 * periodically, and whenever a run is recorded long enough after the last sweep.
 */
export function createPipelineRunner(opts: PipelineRunnerOptions): PipelineRunner {
  const db = opts.db.kysely;
  const now = () => (opts.clock ? opts.clock.now() : Date.now());
  const node = opts.nodeId ?? randomUUID();
  const every = opts.sweepEveryMs ?? 3_600_000;
  let lastSweep = 0;
  let timer: NodeJS.Timeout | undefined;

  const sweep = async () => {
    lastSweep = now();
    const r = await db
      .deleteFrom('pipeline_traces')
      .where('started', '<', lastSweep - opts.keepDays * DAY)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  };
  const sweepQuietly = () =>
    sweep().catch((err) => opts.log?.warn({ err }, 'deleting old pipeline traces failed'));

  return {
    async run(pipeline, ctx, subject) {
      const run = await runPipeline(pipeline, ctx, {
        subject: typeof subject === 'string' ? subject : '',
        now,
      });
      if (typeof subject === 'function') run.subject = shorten(subject(ctx));
      const id = randomUUID();
      try {
        await db
          .insertInto('pipeline_traces')
          .values({
            id,
            pipeline: run.pipeline,
            subject: run.subject,
            outcome: run.outcome,
            code: run.code ?? null,
            started: run.started,
            duration_ms: run.durationMs,
            node,
            steps: JSON.stringify(run.steps),
          })
          .execute();
      } catch (err) {
        opts.log?.warn({ err, pipeline: run.pipeline }, 'the trace of a pipeline run could not be written');
        return { ...run, traceId: undefined };
      }
      if (now() - lastSweep > every) await sweepQuietly();
      return { ...run, traceId: id };
    },

    async list(filter = {}) {
      const start = filter.start ?? 1;
      const num = filter.num ?? 10;
      let q = db.selectFrom('pipeline_traces');
      if (filter.pipeline) q = q.where('pipeline', '=', filter.pipeline);
      if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
      const counted = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = num
        ? await q
            .selectAll()
            .orderBy('started', 'desc')
            .orderBy('id')
            .limit(num)
            .offset(start - 1)
            .execute()
        : [];
      return { traces: rows.map(toTrace), ...pageEnvelope(Number(counted.n), start, num) };
    },

    async get(id) {
      const row = await db.selectFrom('pipeline_traces').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new MeridianError(TraceNotFound, `There is no trace ${id}. ${TraceNotFound.fix}`);
      return toTrace(row);
    },

    sweep,

    start() {
      if (timer) return;
      void sweepQuietly();
      timer = setInterval(() => void sweepQuietly(), every);
      timer.unref();
    },

    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

function toTrace(row: {
  id: string;
  pipeline: string;
  subject: string;
  outcome: string;
  code: string | null;
  started: number;
  duration_ms: number;
  node: string;
  steps: string;
}): Trace {
  return {
    id: row.id,
    pipeline: row.pipeline,
    subject: row.subject,
    outcome: row.outcome as Trace['outcome'],
    code: row.code,
    started: Number(row.started),
    durationMs: Number(row.duration_ms),
    node: row.node,
    steps: JSON.parse(row.steps) as StepRecord[],
  };
}
