import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Adapts node:sqlite's DatabaseSync to the interface Kysely's SqliteDialect expects
 * (modelled on better-sqlite3: prepare() returning statements with all/run/iterate/reader).
 */
class Statement implements SqliteStatement {
  readonly reader: boolean;
  readonly #stmt: StatementSync;
  constructor(stmt: StatementSync) {
    this.#stmt = stmt;
    this.reader = stmt.columns().length > 0;
  }
  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#stmt.all(...(parameters as never[]));
  }
  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#stmt.run(...(parameters as never[]));
  }
  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#stmt.iterate(...(parameters as never[])) as IterableIterator<unknown>;
  }
}

export function openSqlite(path: string): { kyselyDb: SqliteDatabase; raw: DatabaseSync } {
  const raw = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  if (path !== ':memory:') raw.exec('PRAGMA journal_mode = WAL');
  // A 64 MiB page cache and memory-mapped reads keep the search index hot; the default 2 MiB
  // cache makes every large query read from the file again.
  raw.exec(
    'PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536; PRAGMA mmap_size = 268435456; PRAGMA temp_store = MEMORY;',
  );
  const cache = new Map<string, Statement>();
  const kyselyDb: SqliteDatabase = {
    close: () => raw.close(),
    prepare: (sql: string) => {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = new Statement(raw.prepare(sql));
        if (cache.size > 500) cache.clear();
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
  return { kyselyDb, raw };
}
