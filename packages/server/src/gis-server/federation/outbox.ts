import { randomUUID } from 'node:crypto';
import type { Kernel } from '../../kernel/kernel.ts';
import type { GisFederationOutboxTable } from './tables.ts';

export type OutboxAction = 'register' | 'unregister';

/** The service a portal call is about: its URL is not kept (the delivering node makes it). */
export interface OutboxService {
  folder: string;
  name: string;
  /** 'FeatureServer'. */
  type: string;
  title?: string | undefined;
  /** Its owner on this server, proposed to the portal as the item's owner. */
  owner?: string | undefined;
}

export interface OutboxEntry {
  id: string;
  action: OutboxAction;
  service: OutboxService;
  /** pending: delivered as soon as possible, retried with backoff; failed: refused by the portal, kept. */
  state: 'pending' | 'failed';
  attempts: number;
  nextAttempt: number;
  lastError: string | null;
  /** The last error's code (for its fix), when it was a Meridian error. */
  errorCode: string | null;
  created: number;
}

/** The wait before attempt n+1: 5 s, doubling, at most 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.min(attempts, 16), 600_000);
}

/** "folder/name" (or "name" in the root folder), as the CLI and the log write a service. */
export function servicePathOf(s: Pick<OutboxService, 'folder' | 'name'>): string {
  return s.folder ? `${s.folder}/${s.name}` : s.name;
}

/** Service names are unique without case per folder: the key a service's calls share. */
function serviceKey(s: OutboxService): string {
  return `${s.folder}/${s.name}/${s.type}`.toLowerCase();
}

type Db = Pick<Kernel, 'db'>['db']['kysely'];

function toEntry(
  r: Pick<
    GisFederationOutboxTable,
    | 'id'
    | 'action'
    | 'payload'
    | 'state'
    | 'attempts'
    | 'next_attempt'
    | 'last_error'
    | 'error_code'
    | 'created'
  >,
): OutboxEntry {
  const p = JSON.parse(r.payload) as Partial<Record<keyof OutboxService, string>>;
  return {
    id: r.id,
    action: r.action as OutboxAction,
    service: {
      folder: p.folder ?? '',
      name: p.name ?? '',
      type: p.type ?? 'FeatureServer',
      ...(p.title ? { title: p.title } : {}),
      ...(p.owner ? { owner: p.owner } : {}),
    },
    state: r.state === 'failed' ? 'failed' : 'pending',
    attempts: Number(r.attempts),
    nextAttempt: Number(r.next_attempt),
    lastError: r.last_error,
    errorCode: r.error_code,
    created: Number(r.created),
  };
}

/**
 * The durable outbox of portal calls (register/unregister a service): written in the process
 * that created or deleted the service, delivered by a serving node as soon as possible, retried
 * with backoff while the portal is down, kept as failed when the portal refuses it. An entry is
 * claimed with a lease, so that exactly one node delivers it at a time (a node that dies
 * mid-call loses the lease, and another takes it).
 */
export class Outbox {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Adds a call; the latest intent for a service replaces one still waiting or failed (create
   * then delete: only unregister).
   */
  async enqueue(action: OutboxAction, service: OutboxService, now: number): Promise<string> {
    const id = randomUUID();
    const key = serviceKey(service);
    const payload = {
      folder: service.folder,
      name: service.name,
      type: service.type,
      ...(service.title ? { title: service.title } : {}),
      ...(service.owner ? { owner: service.owner } : {}),
    };
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('gis_federation_outbox')
        .where('service_key', '=', key)
        .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_expires', '<', now)]))
        .execute();
      await trx
        .insertInto('gis_federation_outbox')
        .values({
          id,
          action,
          service_key: key,
          payload: JSON.stringify(payload),
          state: 'pending',
          attempts: 0,
          next_attempt: now,
          last_error: null,
          error_code: null,
          lease_owner: null,
          lease_expires: null,
          created: now,
        })
        .execute();
    });
    return id;
  }

  /** Takes the lease of a pending entry if it is free; answers it when this owner got it. */
  async claim(id: string, owner: string, now: number, leaseMs: number): Promise<OutboxEntry | undefined> {
    const res = await this.#db
      .updateTable('gis_federation_outbox')
      .set({ lease_owner: owner, lease_expires: now + leaseMs })
      .where('id', '=', id)
      .where('state', '=', 'pending')
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

  /** The ids of pending entries due now and not leased, oldest first. */
  async due(now: number, limit = 20): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('gis_federation_outbox')
      .select('id')
      .where('state', '=', 'pending')
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

  /**
   * Not delivered, the error kept for the log and the CLI: retried after the backoff, or, when
   * sending it again cannot help (`final`), kept as failed. Answers the next attempt (or undefined).
   */
  async failed(
    e: OutboxEntry,
    owner: string,
    error: { message: string; code?: string | undefined; final: boolean },
    now: number,
  ): Promise<number | undefined> {
    const next = error.final ? undefined : now + backoffMs(e.attempts);
    await this.#db
      .updateTable('gis_federation_outbox')
      .set({
        attempts: e.attempts + 1,
        state: error.final ? 'failed' : 'pending',
        ...(next === undefined ? {} : { next_attempt: next }),
        last_error: error.message.slice(0, 2000),
        error_code: error.code ?? null,
        lease_owner: null,
        lease_expires: null,
      })
      .where('id', '=', e.id)
      .where('lease_owner', '=', owner)
      .execute();
    return next;
  }

  /** Failed entries become pending and due now (their cause fixed); answers how many. */
  async retryFailed(now: number): Promise<number> {
    const res = await this.#db
      .updateTable('gis_federation_outbox')
      .set({ state: 'pending', next_attempt: now })
      .where('state', '=', 'failed')
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /** One entry (undefined once delivered). */
  async get(id: string): Promise<OutboxEntry | undefined> {
    const row = await this.#db
      .selectFrom('gis_federation_outbox')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toEntry(row) : undefined;
  }

  async list(): Promise<OutboxEntry[]> {
    const rows = await this.#db.selectFrom('gis_federation_outbox').selectAll().orderBy('created').execute();
    return rows.map(toEntry);
  }

  async clear(): Promise<void> {
    await this.#db.deleteFrom('gis_federation_outbox').execute();
  }
}
