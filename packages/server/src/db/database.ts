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

export function openDatabase(opts: { url?: string; home?: string; sqlitePath?: string }): Db {
  if (opts.url) {
    const pool = new pg.Pool({ connectionString: opts.url, max: 10 });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { kysely, dialect: 'postgres', pool, url: opts.url, close: () => kysely.destroy() };
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
