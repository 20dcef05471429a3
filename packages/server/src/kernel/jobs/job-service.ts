import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import {
  JobAlreadyEnded,
  JobCancelled,
  JobFailed,
  JobInterrupted,
  JobNotFound,
  JobUnknownKind,
} from './errors.ts';
import { type Job, type JobHandler, type JobProgress, type JobStatus, toJob } from './job.ts';
import { hasEnded, JobStore } from './job-store.ts';
import { type PageEnvelope, pageEnvelope } from './paging.ts';
import { JOBS_TOPIC, type JobChange } from './topics.ts';

/** The part of the change bus the jobs service uses. */
export interface JobsBus {
  publish(topic: typeof JOBS_TOPIC, data: JobChange): Promise<void>;
  on(topic: typeof JOBS_TOPIC, fn: (event: { data: JobChange }) => void): () => void;
}

export interface JobServiceDeps {
  db: Db;
  bus: JobsBus;
  log?: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
  };
  clock?: { now(): number };
  /** This node in the lease columns (default: a random id per process). */
  nodeId?: string;
}

export interface JobServiceOptions {
  /** How long a lease lasts without renewal; a dead node's jobs are taken over after it. Default 30 s. */
  leaseMs?: number;
  /** How often the worker looks for queued jobs and expired leases. Default 2 s. */
  pollMs?: number;
  /** Progress is written at most this often per job. Default 1 s. */
  progressEveryMs?: number;
  /** Jobs this node runs at once. Default 2. */
  concurrency?: number;
}

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
  /** 1-based. */
  start?: number;
  num?: number;
}

export interface JobService {
  /**
   * Declares a kind of job this node can start and run. `resumable`: run again after a
   * takeover. `local`: only the node that started a job of this kind runs it (its input is on
   * that node's disk); it is never taken over, and fails as interrupted when that node stops
   * before it has run (never resumable).
   */
  register<I, R>(
    kind: string,
    handler: JobHandler<I, R>,
    opts?: { resumable?: boolean; local?: boolean },
  ): void;
  /** Queues a job; a node that registers its kind runs it. Returns its id. */
  start(kind: string, input: unknown): Promise<string>;
  /** Throws jobs.not_found. */
  get(id: string): Promise<Job>;
  list(filter?: JobFilter): Promise<PageEnvelope & { jobs: Job[] }>;
  /**
   * A queued job is cancelled at once; a running one is asked to stop (its signal aborts on the
   * node running it) and ends as cancelled. Throws jobs.already_ended for a job that has ended
   * otherwise; cancelling a cancelled job changes nothing.
   */
  cancel(id: string): Promise<Job>;
  /** Starts running jobs on this node (queued ones, and expired leases taken over). */
  startWorker(): void;
  /**
   * Stops taking jobs, aborts the ones running here and waits for them; their leases are
   * released, so that a resumable job runs again at once elsewhere (or at the next start) and
   * another is marked interrupted.
   */
  stop(): Promise<void>;
}

interface Registered {
  handler: JobHandler<unknown, unknown>;
  resumable: boolean;
  local: boolean;
}

const INTERRUPTED = 'interrupted by a restart: the node running it stopped before it finished';
const PINNED_GONE =
  'interrupted by a restart: the node that received it (and holds its input) stopped before running it';

/**
 * Jobs: long operations (aggregate ingest, sync, certificate issuance) with progress, cancel,
 * and leases so that several nodes on one PostgreSQL database share the work and a node that
 * dies mid-job is noticed: when its lease expires, another node (or this one after a restart)
 * runs a resumable job again, or marks it failed ("interrupted by a restart"). Every change
 * is announced on the change bus (jobs.changed).
 */
export function createJobService(deps: JobServiceDeps, options: JobServiceOptions = {}): JobService {
  const store = new JobStore(deps.db.kysely);
  const now = () => (deps.clock ? deps.clock.now() : Date.now());
  const node = deps.nodeId ?? randomUUID();
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 2_000;
  const progressEveryMs = options.progressEveryMs ?? 1_000;
  const concurrency = options.concurrency ?? 2;
  const kinds = new Map<string, Registered>();
  /** The jobs this node runs now: how to abort each (cancel, or the node stopping). */
  const running = new Map<string, { abort: AbortController; cancel(): void }>();
  const pending = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => void) | undefined;
  let ticking: Promise<void> | undefined;
  let again = false;
  let stopped = true;

  const announce = (row: { id: string; kind: string; status: string; cancel_requested?: number }) =>
    deps.bus
      .publish(JOBS_TOPIC, {
        id: row.id,
        kind: row.kind,
        status: row.status as JobStatus,
        cancelRequested: Number(row.cancel_requested ?? 0) === 1,
      })
      .catch((err) => deps.log?.warn({ err, job: row.id }, 'announcing a job change failed'));

  const announceRow = async (id: string) => {
    const row = await store.get(id);
    if (row) await announce(row);
  };

  async function execute(id: string, attempt: 'first' | 'takeover'): Promise<void> {
    const row = await store.get(id);
    if (!row) return;
    const reg = kinds.get(row.kind)!;
    const abort = new AbortController();
    let cancelRequested = Number(row.cancel_requested) === 1;
    let leaseLost = false;
    const resumeFrom: JobProgress | undefined =
      attempt === 'takeover'
        ? {
            done: Number(row.progress_done),
            total: row.progress_total === null ? null : Number(row.progress_total),
            message: row.progress_message,
          }
        : undefined;
    const progress: JobProgress = resumeFrom ? { ...resumeFrom } : { done: 0, total: null, message: '' };
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const writeProgress = () => {
      lastWrite = Date.now();
      const snapshot = { ...progress };
      writing = writing
        .then(() => store.writeProgress(id, node, snapshot, now()))
        .then((ok) => (ok ? announce({ ...row, status: 'running' }) : undefined))
        .catch((err) => deps.log?.warn({ err, job: id }, 'writing job progress failed'));
    };
    const renew = setInterval(
      () => {
        store
          .renew(id, node, now(), leaseMs)
          .then((r) => {
            if (!r) {
              leaseLost = true;
              abort.abort(new Error('this node lost the lease of the job'));
            } else if (r.cancel && !cancelRequested) {
              cancelRequested = true;
              abort.abort(new MeridianError(JobCancelled, 'The job was cancelled.'));
            }
          })
          .catch((err) => deps.log?.warn({ err, job: id }, 'renewing a job lease failed'));
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    const entry = {
      abort,
      cancel: () => {
        cancelRequested = true;
        abort.abort(new MeridianError(JobCancelled, 'The job was cancelled.'));
      },
    };
    running.set(id, entry);
    if (cancelRequested) entry.cancel();
    await announce({ ...row, status: 'running' });
    deps.log?.info({ job: id, kind: row.kind, attempt: row.attempts }, 'job started');
    let end: Parameters<JobStore['finish']>[3];
    try {
      const result = await reg.handler({
        id,
        input: JSON.parse(row.input),
        signal: abort.signal,
        attempt: Number(row.attempts),
        resumeFrom,
        progress(done, total, message) {
          progress.done = done;
          if (total !== undefined) progress.total = total;
          if (message !== undefined) progress.message = message;
          if (Date.now() - lastWrite >= progressEveryMs) writeProgress();
        },
      });
      end = { status: 'succeeded', progress, result: JSON.stringify(result ?? null) };
    } catch (err) {
      if (cancelRequested && abort.signal.aborted)
        end = {
          status: 'cancelled',
          progress,
          error: { code: JobCancelled.code, message: 'The job was cancelled.' },
        };
      else if (err instanceof MeridianError)
        end = { status: 'failed', progress, error: { code: err.code, message: err.message } };
      else {
        deps.log?.warn({ err, job: id, kind: row.kind }, 'a job failed with an unexpected error');
        end = {
          status: 'failed',
          progress,
          error: { code: JobFailed.code, message: `${(err as Error)?.message ?? String(err)}` },
        };
      }
    } finally {
      clearInterval(renew);
    }
    await writing;
    running.delete(id);
    if (stopped && abort.signal.aborted && !cancelRequested && !leaseLost && end.status !== 'succeeded') {
      // The node is stopping: the job is handed on (taken over at once, as after a crash).
      await store.release(id, node, now());
      deps.log?.info({ job: id, kind: row.kind }, 'job stopped with the node; its lease is released');
      return;
    }
    const recorded = !leaseLost && (await store.finish(id, node, now(), end));
    if (recorded) {
      deps.log?.info({ job: id, kind: row.kind, status: end.status }, 'job ended');
      await announce({ ...row, status: end.status, cancel_requested: cancelRequested ? 1 : 0 });
    } else
      deps.log?.warn(
        { job: id },
        'a job ended here after another node had taken it over; its outcome here is dropped',
      );
    kick();
  }

  const launch = (id: string, attempt: 'first' | 'takeover') => {
    const done = execute(id, attempt)
      .catch((err) => {
        running.delete(id);
        deps.log?.warn({ err, job: id }, 'running a job failed');
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };

  /** One pass: expired leases first (a dead node's jobs), then queued jobs, as far as capacity allows. */
  async function tick(): Promise<void> {
    const t = now();
    // This node's local jobs waiting for a slot stay pinned to it while it lives.
    await store.renewPinned(node, t, leaseMs);
    for (const e of await store.expiredPinned(t)) {
      if (stopped) return;
      if (
        await store.endExpiredPinned(e.id, t, {
          code: JobInterrupted.code,
          message: `The job was ${PINNED_GONE}.`,
        })
      ) {
        deps.log?.warn({ job: e.id, kind: e.kind }, `job ${PINNED_GONE}`);
        await announceRow(e.id);
      }
    }
    for (const e of await store.expired(t)) {
      if (stopped) return;
      if (Number(e.cancel_requested) === 1) {
        if (
          await store.endExpired(e.id, t, 'cancelled', {
            code: JobCancelled.code,
            message: 'The job was cancelled.',
          })
        )
          await announceRow(e.id);
      } else if (Number(e.resumable) === 1) {
        if (
          kinds.has(e.kind) &&
          running.size < concurrency &&
          (await store.claimExpired(e.id, node, t, leaseMs))
        ) {
          deps.log?.info({ job: e.id, kind: e.kind }, 'took over a job whose node stopped; running it again');
          launch(e.id, 'takeover');
        }
      } else if (
        await store.endExpired(e.id, t, 'failed', {
          code: JobInterrupted.code,
          message: `The job was ${INTERRUPTED}.`,
        })
      ) {
        deps.log?.warn({ job: e.id, kind: e.kind }, `job ${INTERRUPTED}`);
        await announceRow(e.id);
      }
    }
    for (const id of await store.queued([...kinds.keys()], node, concurrency - running.size)) {
      if (stopped || running.size >= concurrency) return;
      if (await store.claimQueued(id, node, now(), leaseMs)) launch(id, 'first');
    }
  }

  /** Runs a pass now (or right after the one in progress). */
  function kick(): void {
    if (stopped) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = tick()
      .catch((err) => deps.log?.warn({ err }, 'looking for jobs to run failed'))
      .finally(() => {
        ticking = undefined;
        if (again) {
          again = false;
          kick();
        }
      });
  }

  const service: JobService = {
    register(kind, handler, opts = {}) {
      const local = opts.local ?? false;
      kinds.set(kind, {
        handler: handler as JobHandler<unknown, unknown>,
        // A local job's input is on one node's disk: no other node can run it again.
        resumable: !local && (opts.resumable ?? false),
        local,
      });
    },

    async start(kind, input) {
      const reg = kinds.get(kind);
      if (!reg)
        throw new MeridianError(
          JobUnknownKind,
          `No job of kind '${kind}' can be started here (known: ${[...kinds.keys()].join(', ') || 'none'}).`,
        );
      const id = randomUUID();
      const created = now();
      await store.insert({
        id,
        kind,
        resumable: reg.resumable ? 1 : 0,
        input: JSON.stringify(input ?? null),
        created,
        ...(reg.local ? { pinnedTo: node, pinnedUntil: created + leaseMs } : {}),
      });
      await announce({ id, kind, status: 'queued' });
      kick();
      return id;
    },

    async get(id) {
      const row = await store.get(id);
      if (!row) throw new MeridianError(JobNotFound, `There is no job ${id}. ${JobNotFound.fix}`);
      return toJob(row);
    },

    async list(filter = {}) {
      const start = filter.start ?? 1;
      const num = filter.num ?? 10;
      const { total, rows } = await store.list({ status: filter.status, kind: filter.kind, start, num });
      return { jobs: rows.map(toJob), ...pageEnvelope(total, start, num) };
    },

    async cancel(id) {
      const row = await store.get(id);
      if (!row) throw new MeridianError(JobNotFound, `There is no job ${id}. ${JobNotFound.fix}`);
      if (row.status === 'cancelled') return toJob(row);
      if (hasEnded(row.status))
        throw new MeridianError(
          JobAlreadyEnded,
          `Job ${id} (${row.kind}) has already ${row.status}. ${JobAlreadyEnded.fix}`,
        );
      const t = now();
      if (
        await store.cancelQueued(id, t, {
          code: JobCancelled.code,
          message: 'The job was cancelled before it started.',
        })
      ) {
        await announceRow(id);
        return service.get(id);
      }
      if (await store.requestCancel(id, t)) {
        running.get(id)?.cancel();
        await announceRow(id);
        return service.get(id);
      }
      // It ended between the read and the update.
      return service.cancel(id);
    },

    startWorker() {
      if (!stopped) return;
      stopped = false;
      unlisten = deps.bus.on(JOBS_TOPIC, ({ data }) => {
        if (data.cancelRequested && data.status === 'running') running.get(data.id)?.cancel();
        if (data.status === 'queued' || hasEnded(data.status)) kick();
      });
      timer = setInterval(kick, pollMs);
      timer.unref();
      kick();
    },

    async stop() {
      stopped = true;
      clearInterval(timer);
      unlisten?.();
      await ticking;
      for (const r of running.values()) r.abort.abort(new Error('the node is stopping'));
      await Promise.all([...pending]);
    },
  };
  return service;
}
