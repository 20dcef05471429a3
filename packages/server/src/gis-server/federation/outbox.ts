import { randomUUID } from 'node:crypto';
import type { Kernel } from '../../kernel/kernel.ts';

export type OutboxAction = 'register' | 'unregister';

export interface OutboxEntry {
  id: string;
  action: OutboxAction;
  serviceUrl: string;
  payload: Record<string, string>;
  attempts: number;
  nextAttempt: number;
  lastError: string | null;
  created: number;
}

/** The wait before attempt n+1: 5 s, doubling, at most 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.min(attempts, 16), 600_000);
}

type Db = Pick<Kernel, 'db'>['db']['kysely'];

function toEntry(r: {
  id: string;
  action: string;
  service_url: string;
  payload: string;
  attempts: number;
  next_attempt: number;
  last_error: string | null;
  created: number;
}): OutboxEntry {
  return {
    id: r.id,
    action: r.action as OutboxAction,
    serviceUrl: r.service_url,
    payload: JSON.parse(r.payload) as Record<string, string>,
    attempts: Number(r.attempts),
    nextAttempt: Number(r.next_attempt),
    lastError: r.last_error,
    created: Number(r.created),
  };
}

/**
 * The durable outbox of portal calls (register/unregister a service): written in the same
 * process that created or deleted the service, delivered as soon as possible, retried with
 * backoff while the portal is down. An entry is claimed with a lease, so that exactly one node
 * delivers it at a time (a node that dies mid-call loses the lease, and another takes it).
 */
export class Outbox {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Adds a call; the latest intent for a service replaces one still waiting (create then delete: only unregister). */
  async enqueue(action: OutboxAction, serviceUrl: string, payload: Record<string, string>, now: number) {
    const id = randomUUID();
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('gis_federation_outbox')
        .where('service_url', '=', serviceUrl)
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires', '<', now)]))
        .execute();
      await trx
        .insertInto('gis_federation_outbox')
        .values({
          id,
          action,
          service_url: serviceUrl,
          payload: JSON.stringify(payload),
          attempts: 0,
          next_attempt: now,
          last_error: null,
          lease_owner: null,
          lease_expires: null,
          created: now,
        })
        .execute();
    });
    return id;
  }

  /** Takes the lease of an entry if it is due (or `id` is given) and free; answers it when this owner got it. */
  async claim(id: string, owner: string, now: number, leaseMs: number): Promise<OutboxEntry | undefined> {
    const res = await this.#db
      .updateTable('gis_federation_outbox')
      .set({ lease_owner: owner, lease_expires: now + leaseMs })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires', '<', now)]))
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) return undefined;
    const row = await this.#db
      .selectFrom('gis_federation_outbox')
      .selectAll()
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }

  /** The ids of entries due now and not leased, oldest first. */
  async due(now: number, limit = 20): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('gis_federation_outbox')
      .select('id')
      .where('next_attempt', '<=', now)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires', '<', now)]))
      .orderBy('created')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Delivered: gone. */
  async done(id: string, owner: string): Promise<void> {
    await this.#db
      .deleteFrom('gis_federation_outbox')
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Not delivered: the next attempt after the backoff, the error kept for the log and the CLI. */
  async failed(e: OutboxEntry, owner: string, error: string, now: number): Promise<number> {
    const next = now + backoffMs(e.attempts);
    await this.#db
      .updateTable('gis_federation_outbox')
      .set({
        attempts: e.attempts + 1,
        next_attempt: next,
        last_error: error.slice(0, 2000),
        lease_owner: null,
        lease_expires: null,
      })
      .where('id', '=', e.id)
      .where('lease_owner', '=', owner)
      .execute();
    return next;
  }

  async list(): Promise<OutboxEntry[]> {
    const rows = await this.#db.selectFrom('gis_federation_outbox').selectAll().orderBy('created').execute();
    return rows.map(toEntry);
  }

  async clear(): Promise<void> {
    await this.#db.deleteFrom('gis_federation_outbox').execute();
  }
}
