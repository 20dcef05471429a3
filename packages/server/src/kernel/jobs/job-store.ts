import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { ENDED, type JobProgress, type JobStatus } from './job.ts';
import type { JobsTable } from './tables.ts';
import './tables.ts';

/**
 * The jobs table's queries. Every change of state is one conditional UPDATE (on the status,
 * the lease owner or the lease expiry), so that two nodes racing for one job cannot both win.
 */
export class JobStore {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /**
   * Queues a job. A local job is pinned to the node that started it: queued with that node in
   * lease_owner and a lease the node renews while it waits (renewPinned); no other node claims it.
   */
  async insert(
    row: Pick<JobsTable, 'id' | 'kind' | 'resumable' | 'input' | 'created'> & {
      pinnedTo?: string;
      pinnedUntil?: number;
    },
  ): Promise<void> {
    const { pinnedTo, pinnedUntil, ...values } = row;
    await this.#db
      .insertInto('jobs')
      .values({
        ...values,
        status: 'queued',
        progress_done: 0,
        progress_total: null,
        progress_message: '',
        result: null,
        error_code: null,
        error_message: null,
        started: null,
        finished: null,
        modified: row.created,
        lease_owner: pinnedTo ?? null,
        lease_expires: pinnedUntil ?? null,
        cancel_requested: 0,
        attempts: 0,
      })
      .execute();
  }

  get(id: string): Promise<JobsTable | undefined> {
    return this.#db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(f: { status?: JobStatus; kind?: string; start: number; num: number }) {
    let q = this.#db.selectFrom('jobs');
    if (f.status) q = q.where('status', '=', f.status);
    if (f.kind) q = q.where('kind', '=', f.kind);
    const counted = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = f.num
      ? await q
          .selectAll()
          .orderBy('created', 'desc')
          .orderBy('id')
          .limit(f.num)
          .offset(f.start - 1)
          .execute()
      : [];
    return { total: Number(counted.n), rows };
  }

  /** Queued jobs of these kinds, oldest first. */
  /** Queued jobs this node may run: unpinned ones, and those pinned to it. */
  async queued(kinds: readonly string[], node: string, limit: number): Promise<string[]> {
    if (!kinds.length || limit <= 0) return [];
    const rows = await this.#db
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'queued')
      .where('kind', 'in', kinds)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', node)]))
      .orderBy('created')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Running jobs whose owner let the lease expire (the node died or lost the database). */
  expired(now: number): Promise<Pick<JobsTable, 'id' | 'kind' | 'resumable' | 'cancel_requested'>[]> {
    return this.#db
      .selectFrom('jobs')
      .select(['id', 'kind', 'resumable', 'cancel_requested'])
      .where('status', '=', 'running')
      .where('lease_expires', '<', now)
      .orderBy('created')
      .limit(100)
      .execute();
  }

  /** Takes a queued job: true when this node got it. */
  async claimQueued(id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        lease_owner: owner,
        lease_expires: now + leaseMs,
        started: now,
        modified: now,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Extends the pins of the queued local jobs of a node (it is alive). */
  async renewPinned(owner: string, now: number, leaseMs: number): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set({ lease_expires: now + leaseMs })
      .where('status', '=', 'queued')
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Queued local jobs whose node stopped renewing their pin (it stopped before running them). */
  expiredPinned(now: number): Promise<Pick<JobsTable, 'id' | 'kind'>[]> {
    return this.#db
      .selectFrom('jobs')
      .select(['id', 'kind'])
      .where('status', '=', 'queued')
      .where('lease_expires', '<', now)
      .orderBy('created')
      .limit(100)
      .execute();
  }

  /** Fails a queued local job whose pin expired: true when this node did it. */
  async endExpiredPinned(
    id: string,
    now: number,
    error: { code: string; message: string },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({
        status: 'failed',
        error_code: error.code,
        error_message: error.message,
        finished: now,
        modified: now,
        lease_expires: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .where('lease_expires', '<', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Takes over a running job whose lease expired: true when this node got it. */
  async claimExpired(id: string, owner: string, now: number, leaseMs: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set((eb) => ({
        lease_owner: owner,
        lease_expires: now + leaseMs,
        modified: now,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_expires', '<', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Ends a running job whose lease expired without running it again (not resumable, or a cancel
   * was requested): true when this node did it.
   */
  async endExpired(
    id: string,
    now: number,
    status: JobStatus,
    error: { code: string; message: string },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({
        status,
        error_code: error.code,
        error_message: error.message,
        finished: now,
        modified: now,
        lease_expires: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_expires', '<', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Extends the lease of a job this node runs. Undefined when the lease is no longer this
   * node's (another node took the job over); otherwise whether a cancel was requested.
   */
  async renew(
    id: string,
    owner: string,
    now: number,
    leaseMs: number,
  ): Promise<{ cancel: boolean } | undefined> {
    const r = await this.#db
      .updateTable('jobs')
      .set({ lease_expires: now + leaseMs })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    const row = await this.#db
      .selectFrom('jobs')
      .select('cancel_requested')
      .where('id', '=', id)
      .executeTakeFirst();
    return { cancel: Number(row?.cancel_requested) === 1 };
  }

  /** Gives up the lease of a job this node runs (it stops): the job counts as expired at once. */
  async release(id: string, owner: string, now: number): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set({ lease_expires: now - 1, modified: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .execute();
  }

  async writeProgress(id: string, owner: string, p: JobProgress, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({
        progress_done: p.done,
        progress_total: p.total,
        progress_message: p.message.slice(0, 500),
        modified: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Records how a job this node ran ended: false when the lease was no longer this node's. */
  async finish(
    id: string,
    owner: string,
    now: number,
    end: {
      status: JobStatus;
      progress: JobProgress;
      result?: string | null;
      error?: { code: string; message: string } | null;
    },
  ): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({
        status: end.status,
        progress_done: end.progress.done,
        progress_total: end.progress.total,
        progress_message: end.progress.message.slice(0, 500),
        result: end.result ?? null,
        error_code: end.error?.code ?? null,
        error_message: end.error?.message ?? null,
        finished: now,
        modified: now,
        lease_expires: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Cancels a queued job at once: true when it was still queued. */
  async cancelQueued(id: string, now: number, error: { code: string; message: string }): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({
        status: 'cancelled',
        cancel_requested: 1,
        error_code: error.code,
        error_message: error.message,
        finished: now,
        modified: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Asks the node running a job to stop it: true when it was running. */
  async requestCancel(id: string, now: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({ cancel_requested: 1, modified: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}

export function hasEnded(status: string): boolean {
  return ENDED.has(status as JobStatus);
}
