/** A migrated database of each dialect for the kernel service tests (PostgreSQL: the machine's, no skip). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import * as busEvents from '../bus/migration.ts';
import { type Db, openDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import * as pipelineTraces from '../pipeline/migration.ts';
import * as jobs from './migration.ts';

/** The kernel's own tables: the change bus's, the jobs' and the traces'. */
const KERNEL_MIGRATIONS = {
  '0009_bus_events': busEvents,
  '0013_jobs': jobs,
  '0014_pipeline_traces': pipelineTraces,
};

export interface TestDb {
  db: Db;
  /** What another process opens the same database with: a PostgreSQL URL or a SQLite file. */
  target: string;
  /** Opens a second connection (another node) to the same database. */
  openAgain(): Db;
  cleanup(): Promise<void>;
}

export const DIALECTS = ['sqlite', 'postgres'] as const;

export async function openTestDb(dialect: (typeof DIALECTS)[number]): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-kernel-'));
    const target = join(dir, 'meridian.db');
    const db = openDatabase({ sqlitePath: target });
    await migrateToLatest(db, KERNEL_MIGRATIONS);
    return {
      db,
      target,
      openAgain: () => openDatabase({ sqlitePath: target }),
      async cleanup() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await createPgDatabase();
  const db = openDatabase({ url: pg.url });
  await migrateToLatest(db, KERNEL_MIGRATIONS);
  return {
    db,
    target: pg.url,
    openAgain: () => openDatabase({ url: pg.url }),
    async cleanup() {
      await db.close();
      await pg.drop();
    },
  };
}
