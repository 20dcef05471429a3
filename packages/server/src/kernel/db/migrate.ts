import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { defineError, MeridianError } from '../errors/meridian-error.ts';
import type { Db } from './database.ts';
import { migrations } from './migrations/index.ts';

const MigrationFailed = defineError({
  code: 'db.migration_failed',
  status: 500,
  summary: 'A database migration failed; the database was left at the last migration that succeeded.',
  fix: 'Read the detail in the log, correct the cause (permissions, disk space, a database in use by a newer Meridian), and start again.',
});

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

/** Applies every pending migration, in name order. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new StaticProvider() });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new MeridianError(
      MigrationFailed,
      `Database migration ${failed ?? ''} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
