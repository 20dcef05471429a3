import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db } from '../db/database.ts';
import type { Logger } from '../log/logger.ts';
import type { BusTopics, Topic } from './topics.ts';

/**
 * Tells every node of a portal that something changed (a user's tokens were revoked, the web
 * server certificate was switched, the trust store changed), so that caches are refreshed
 * live instead of by a restart. On PostgreSQL it is LISTEN/NOTIFY on one channel; on SQLite
 * (one portal, plus `meridian` commands run beside it) events go through the bus_events table.
 */
export interface ChangeEvent<T extends Topic = Topic> {
  topic: T;
  data: BusTopics[T];
}

export type Listener<T extends Topic = Topic> = (event: ChangeEvent<T>) => void | Promise<void>;

const CHANNEL = 'meridian_changes';

/** Emitted locally after the listener reconnects: caches must reload everything. */
export const RESYNC_TOPIC = 'bus.resync' satisfies Topic;

/** How often a SQLite node reads events written by other processes. */
const POLL_MS = 500;

export class ChangeBus {
  readonly nodeId = randomUUID();
  readonly #local = new EventEmitter();
  #client: pg.Client | undefined;
  readonly #db: Db;
  #stopped = false;
  #poller: NodeJS.Timeout | undefined;
  #lastEventId = 0;
  readonly #logger: Logger | undefined;
  #reconnects = 0;

  constructor(db: Db, log?: Logger) {
    this.#db = db;
    this.#logger = log;
    this.#local.setMaxListeners(100);
  }

  #log(msg: string, err?: unknown): void {
    this.#logger?.warn({ err }, msg);
  }

  /** How many times the listener reconnected after losing its connection (PostgreSQL). */
  get reconnects(): number {
    return this.#reconnects;
  }

  /** Whether this node receives other nodes' changes now: its listener is connected (or it polls). */
  get listening(): boolean {
    if (this.#stopped) return false;
    return this.#client !== undefined || this.#poller !== undefined;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    if (this.#db.dialect === 'postgres' && this.#db.url) {
      await this.#connect();
      return;
    }
    await this.#startPolling();
  }

  /**
   * SQLite: other processes on the same file (a `meridian` command beside the running portal)
   * append to bus_events; this node reads what is new every POLL_MS.
   */
  async #startPolling(): Promise<void> {
    const last = await this.#db.kysely
      .selectFrom('bus_events')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirst();
    this.#lastEventId = Number(last?.max ?? 0);
    const poll = async () => {
      const rows = await this.#db.kysely
        .selectFrom('bus_events')
        .selectAll()
        .where('id', '>', this.#lastEventId)
        .orderBy('id')
        .execute();
      for (const row of rows) {
        this.#lastEventId = Math.max(this.#lastEventId, Number(row.id));
        if (row.node === this.nodeId) continue;
        try {
          this.#deliver({ topic: row.topic as Topic, data: JSON.parse(row.data) });
        } catch (err) {
          this.#log('ignored a malformed change event', err);
        }
      }
    };
    this.#poller = setInterval(
      () => void poll().catch((err) => this.#log('reading change events failed', err)),
      POLL_MS,
    );
    this.#poller.unref();
  }

  async #connect(): Promise<void> {
    // Named, so that an administrator (and the fault tests) can tell which node's listener it is.
    const client = new pg.Client({
      connectionString: this.#db.url,
      application_name: `meridian-bus ${this.nodeId}`,
    });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      try {
        const parsed = JSON.parse(msg.payload) as ChangeEvent & { node: string };
        if (parsed.node === this.nodeId) return;
        this.#deliver({ topic: parsed.topic, data: parsed.data });
      } catch (err) {
        this.#log('ignored a malformed change notification', err);
      }
    });
    client.on('error', (err) => {
      this.#log('change listener connection lost; reconnecting', err);
      this.#scheduleReconnect(client);
    });
    client.on('end', () => this.#scheduleReconnect(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.#client = client;
  }

  /**
   * While the listener was away, other nodes' events were missed: after reconnecting, every
   * cache is told to reload (topic RESYNC_TOPIC) instead of trusting what it holds.
   */
  #scheduleReconnect(dead: pg.Client): void {
    if (this.#stopped || this.#client !== dead) return;
    this.#client = undefined;
    const attempt = (delay: number) => {
      const t = setTimeout(async () => {
        if (this.#stopped) return;
        try {
          await this.#connect();
          this.#reconnects++;
          this.#logger?.info('change listener reconnected; caches reload');
          this.#local.emit(RESYNC_TOPIC, { topic: RESYNC_TOPIC, data: {} });
        } catch (err) {
          this.#log('change listener reconnect failed', err);
          attempt(Math.min(delay * 2, 30_000));
        }
      }, delay);
      t.unref();
    };
    attempt(250);
  }

  on<T extends Topic>(topic: T, fn: Listener<T>): () => void {
    const wrapped = (e: ChangeEvent<T>) =>
      void Promise.resolve()
        .then(() => fn(e))
        .catch((err) => this.#log(`a listener of ${topic} failed`, err));
    this.#local.on(topic, wrapped);
    return () => this.#local.off(topic, wrapped);
  }

  /**
   * For what this node keeps from the database (caches): `fn` gets each event of the topics,
   * and `undefined` when the listener has reconnected, since events may have been missed while
   * it was away (drop or reload everything then). The one way a cache stays true across nodes.
   */
  watch<T extends Topic>(
    topics: T | readonly T[],
    fn: (event: ChangeEvent<T> | undefined) => void,
  ): () => void {
    const offs = [...[topics].flat(), RESYNC_TOPIC].map((topic) =>
      topic === RESYNC_TOPIC ? this.on(RESYNC_TOPIC, () => fn(undefined)) : this.on(topic as T, fn),
    );
    return () => {
      for (const off of offs) off();
    };
  }

  /** Delivers to this node at once and to every other node through the database. */
  async publish<T extends Topic>(topic: T, data: BusTopics[T]): Promise<void> {
    this.#deliver({ topic, data });
    if (this.#db.dialect === 'postgres' && this.#db.pool) {
      const payload = JSON.stringify({ node: this.nodeId, topic, data });
      await this.#db.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
      return;
    }
    const now = Date.now();
    await this.#db.kysely
      .insertInto('bus_events')
      .values({ node: this.nodeId, topic, data: JSON.stringify(data), created: now })
      .execute();
    // Events are read within a second; a minute of history is plenty.
    await this.#db.kysely
      .deleteFrom('bus_events')
      .where('created', '<', now - 60_000)
      .execute();
  }

  #deliver(event: ChangeEvent): void {
    this.#local.emit(event.topic, event);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#poller) clearInterval(this.#poller);
    await this.#client?.end().catch(() => {});
    this.#client = undefined;
  }
}
