import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { ChangeBus } from '../kernel/bus/bus.ts';
import { type Db, openDatabase } from '../kernel/db/database.ts';
import { migrateToLatest } from '../kernel/db/migrate.ts';
import { roleMigrations } from '../roles/compose.ts';
import { portalModules } from '../roles/portal.ts';
import { GroupsOfUser, publishGroupsChanged } from './groups/groups-of-user.ts';
import type { ContentDeps } from './items.ts';
import type { Viewer } from './viewer.ts';

/** For tests: a fresh, migrated database of either dialect with a data directory. */
export interface TestContentDb {
  db: Db;
  home: string;
  deps: ContentDeps;
  /** The users the content sees (what the identity module would answer): username by lower-case key. */
  users: Map<string, string>;
  close(): Promise<void>;
}

export const TEST_ORG_ID = 'testorg0001';

export async function openTestContentDb(dialect: 'sqlite' | 'postgres'): Promise<TestContentDb> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-content-'));
  const pgdb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const db = openDatabase(pgdb ? { url: pgdb.url } : { home });
  await migrateToLatest(db, roleMigrations(portalModules));
  const users = new Map<string, string>();
  // The real change bus, not started: events reach this process only, as the module's would.
  const bus = new ChangeBus(db);
  return {
    db,
    home,
    users,
    deps: {
      db: db.kysely,
      filesDir: join(home, 'files'),
      orgId: async () => TEST_ORG_ID,
      users: { canonicalUsername: async (u) => users.get(u.toLowerCase()) },
      groupsOfUser: new GroupsOfUser({ db, bus }),
      groupsChanged: () => publishGroupsChanged({ bus }),
    },
    async close() {
      await db.close();
      await pgdb?.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** For tests without the identity module: a user the content module's lookups will find. */
export function insertTestUser(
  t: Pick<TestContentDb, 'users'>,
  username: string,
  role: 'org_admin' | 'org_user' = 'org_user',
): Viewer {
  t.users.set(username.toLowerCase(), username);
  return { username, isAdmin: role === 'org_admin' };
}
