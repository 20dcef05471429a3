import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { defineError, MeridianError } from '../errors/meridian-error.ts';
import type { Db } from './database.ts';

const MigrationFailed = defineError({
  code: 'db.migration_failed',
  status: 500,
  summary: 'A database migration failed; the database was left at the last migration that succeeded.',
  fix: 'Read the detail in the log, correct the cause (permissions, disk space, a database in use by a newer Meridian), and start again.',
});

class StaticProvider implements MigrationProvider {
  readonly #migrations: Readonly<Record<string, Migration>>;

  constructor(migrations: Readonly<Record<string, Migration>>) {
    this.#migrations = migrations;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...this.#migrations };
  }
}

/** Applies every pending migration of a role (its kernel's and its modules'), in name order. */
export async function migrateToLatest(
  db: Db,
  migrations: Readonly<Record<string, Migration>>,
): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new StaticProvider(migrations) });
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
