import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { type Db, openDatabase } from '../kernel/db/database.ts';
import { migrateToLatest } from '../kernel/db/migrate.ts';
import type { Database } from '../kernel/db/schema.ts';
import type { ContentDeps } from './items.ts';
import type { Viewer } from './viewer.ts';

/** For tests: a fresh, migrated database of either dialect with a data directory. */
export interface TestContentDb {
  db: Db;
  home: string;
  deps: ContentDeps;
  close(): Promise<void>;
}

export const TEST_ORG_ID = 'testorg0001';

export async function openTestContentDb(dialect: 'sqlite' | 'postgres'): Promise<TestContentDb> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-content-'));
  const pgdb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const db = openDatabase(pgdb ? { url: pgdb.url } : { home });
  await migrateToLatest(db);
  return {
    db,
    home,
    deps: { db: db.kysely, home, orgId: async () => TEST_ORG_ID },
    async close() {
      await db.close();
      await pgdb?.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** For tests that run before (or without) the administrator API: a users row. */
export async function insertTestUser(
  db: Kysely<Database>,
  username: string,
  role: 'org_admin' | 'org_user' = 'org_user',
): Promise<Viewer> {
  const now = Date.now();
  await db
    .insertInto('users')
    .values({
      id: `u${username.toLowerCase()}`.slice(0, 32),
      username,
      username_lower: username.toLowerCase(),
      role,
      created: now,
      modified: now,
    } as never)
    .execute();
  return { username, isAdmin: role === 'org_admin' };
}
