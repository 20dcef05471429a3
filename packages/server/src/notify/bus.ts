import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db } from '../db/database.ts';

/**
 * Tells every node of a portal that something changed (a user's tokens were revoked, the web
 * server certificate was switched, the trust store changed), so that caches are refreshed
 * live instead of by a restart. On SQLite there is one node and delivery is in-process; on
 * PostgreSQL it is LISTEN/NOTIFY on one channel.
 */
export interface ChangeEvent {
  topic: string;
  data: Record<string, unknown>;
}

export type Listener = (event: ChangeEvent) => void | Promise<void>;

const CHANNEL = 'meridian_changes';

/** Emitted locally after the listener reconnects: caches must reload everything. */
export const RESYNC_TOPIC = 'bus.resync';

export class ChangeBus {
  readonly nodeId = randomUUID();
  readonly #local = new EventEmitter();
  #client: pg.Client | undefined;
  readonly #db: Db;
  #stopped = false;
  #log: (msg: string, err?: unknown) => void = () => {};

  constructor(db: Db) {
    this.#db = db;
    this.#local.setMaxListeners(100);
  }

  async start(log: (msg: string, err?: unknown) => void = () => {}): Promise<void> {
    if (this.#db.dialect !== 'postgres' || !this.#db.url) return;
    this.#log = log;
    this.#stopped = false;
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#db.url });
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

  on(topic: string, fn: Listener): () => void {
    const wrapped = (e: ChangeEvent) => void fn(e);
    this.#local.on(topic, wrapped);
    return () => this.#local.off(topic, wrapped);
  }

  /** Delivers to this node at once and to every other node through the database. */
  async publish(topic: string, data: Record<string, unknown> = {}): Promise<void> {
    this.#deliver({ topic, data });
    if (this.#db.dialect === 'postgres' && this.#db.pool) {
      const payload = JSON.stringify({ node: this.nodeId, topic, data });
      await this.#db.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
    }
  }

  #deliver(event: ChangeEvent): void {
    this.#local.emit(event.topic, event);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#client?.end().catch(() => {});
    this.#client = undefined;
  }
}
