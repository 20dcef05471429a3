import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { openSqlite } from './node-sqlite.ts';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: Dialect;
  /** For PostgreSQL: the pool, so LISTEN/NOTIFY can take a dedicated client. */
  pool?: pg.Pool;
  /** For PostgreSQL: the connection string, for a dedicated listener connection. */
  url?: string;
  close(): Promise<void>;
}

// BIGINT columns hold epoch milliseconds; they fit in a double, so read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export function openDatabase(opts: {
  url?: string;
  home?: string;
  sqlitePath?: string;
  onPoolError?: (err: Error) => void;
}): Db {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    // An idle client whose connection the server closed (restart, failover) must not crash
    // the process: the pool drops it and the next query opens a new one.
    pool.on('error', (err) => opts.onPoolError?.(err));
    // A client that is checked out when its connection is cut emits 'error' too, and the pool
    // listens only to idle ones: without this, a restart under load ends the process. The query
    // in flight fails (a 503 to its request, see unavailable.ts); the pool discards the client.
    pool.on('connect', (client) => client.on('error', (err) => opts.onPoolError?.(err)));
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    let closed = false;
    return {
      kysely,
      dialect: 'postgres',
      pool,
      url: opts.url,
      async close() {
        if (closed) return;
        closed = true;
        await kysely.destroy();
        // Kysely ends the pool only if it ever used it; the change bus may have used it alone.
        if (!pool.ended) await pool.end();
      },
    };
  }
  let path = opts.sqlitePath;
  if (!path) {
    if (!opts.home) throw new Error('openDatabase needs a url, a home or a sqlitePath');
    mkdirSync(opts.home, { recursive: true });
    path = join(opts.home, 'meridian.db');
  }
  const { kyselyDb } = openSqlite(path);
  const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: kyselyDb }) });
  return { kysely, dialect: 'sqlite', close: () => kysely.destroy() };
}
