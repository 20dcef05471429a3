import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineError, MeridianError } from '../errors/meridian-error.ts';

export const OtherDatabase = defineError({
  code: 'db.other_database',
  status: 500,
  summary: 'The data directory belongs to a portal on another database than the one this command was given.',
  fix: 'Give the database the portal was started with (--database-url or MERIDIAN_DATABASE_URL, as the message says), or another data directory (--home).',
});

/** Which database a data directory's node uses, without credentials: kept in <home>/database.json. */
interface DatabaseRecord {
  dialect: 'sqlite' | 'postgres';
  /** For PostgreSQL: postgres://host:port/database (no user, no password). */
  target?: string;
}

const FILE = 'database.json';

/** postgres://host:port/database of a connection string: what identifies the database, no secret. */
export function databaseTarget(url: string): string {
  const u = new URL(url);
  return `postgres://${u.hostname}:${u.port || '5432'}${u.pathname}`;
}

function read(home: string): DatabaseRecord | undefined {
  const path = join(home, FILE);
  if (existsSync(path)) {
    try {
      const record = JSON.parse(readFileSync(path, 'utf8')) as DatabaseRecord;
      if (record.dialect === 'sqlite' || (record.dialect === 'postgres' && typeof record.target === 'string'))
        return record;
    } catch {}
    throw new MeridianError(
      OtherDatabase,
      `${path} is damaged: it must be {"dialect":"sqlite"} or {"dialect":"postgres","target":"postgres://host:port/database"}. Write the database this data directory uses, or delete the file to record the next one given.`,
    );
  }
  // Data directories from before the record: an SQLite file says which.
  return existsSync(join(home, 'meridian.db')) ? { dialect: 'sqlite' } : undefined;
}

/**
 * Before a node or a command opens its database: a data directory records the database it was
 * first opened with, so that a command given the directory of a PostgreSQL portal without the
 * database URL is refused instead of creating a second, empty SQLite database (with a new CA
 * of the same name). A different PostgreSQL address is taken as a move, and recorded.
 */
export function checkDatabaseRecord(home: string, url: string | undefined): { moved?: string } {
  const recorded = read(home);
  const given: DatabaseRecord = url
    ? { dialect: 'postgres', target: databaseTarget(url) }
    : { dialect: 'sqlite' };
  if (recorded?.dialect === 'postgres' && given.dialect === 'sqlite')
    throw new MeridianError(
      OtherDatabase,
      `The data directory ${home} belongs to a portal on PostgreSQL (${recorded.target}), but no database URL was given: give the one the portal was started with (--database-url or MERIDIAN_DATABASE_URL).`,
    );
  if (recorded?.dialect === 'sqlite' && given.dialect === 'postgres')
    throw new MeridianError(
      OtherDatabase,
      `The data directory ${home} belongs to a portal on its own SQLite database (${join(home, 'meridian.db')}), but a PostgreSQL URL was given: a PostgreSQL node needs a data directory of its own (--home), with the same secrets.key as the other nodes.`,
    );
  const moved = recorded?.target && given.target !== recorded.target ? recorded.target : undefined;
  if (!recorded || moved || !existsSync(join(home, FILE)))
    writeFileSync(join(home, FILE), `${JSON.stringify(given, null, 2)}\n`, { mode: 0o600 });
  return moved ? { moved } : {};
}
