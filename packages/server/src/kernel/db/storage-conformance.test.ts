import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { type MigrationProvider, Migrator, sql } from 'kysely';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { PortalSettingsStore } from '../../portal/settings.ts';
import { roleMigrations } from '../../roles/compose.ts';
import { portalModules } from '../../roles/portal.ts';
import { ChangeBus } from '../bus/bus.ts';
import { type Db, openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { dumpSchema } from './schema-dump.ts';

const migrations = roleMigrations(portalModules);

declare module '../bus/topics.ts' {
  interface BusTopics {
    /** Only in this test. */
    'test.topic': Record<string, unknown>;
  }
}

/**
 * The storage conformance suite: the same tests on the embedded SQLite database and on
 * PostgreSQL. PostgreSQL is the machine's (MERIDIAN_TEST_PG_URL); there is no skip.
 */
type Opened = { db: Db; cleanup(): Promise<void> };

const drivers: Record<string, () => Promise<Opened>> = {
  sqlite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-db-'));
    const db = openDatabase({ home: dir });
    return {
      db,
      async cleanup() {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  postgres: async () => {
    const pg = await createPgDatabase();
    const db = openDatabase({ url: pg.url });
    return {
      db,
      async cleanup() {
        await db.close();
        await pg.drop();
      },
    };
  },
};

const names = Object.keys(migrations).sort();

function providerUpTo(n: number): MigrationProvider {
  return { getMigrations: async () => Object.fromEntries(names.slice(0, n).map((k) => [k, migrations[k]!])) };
}

for (const [dialect, open] of Object.entries(drivers)) {
  describe(`storage conformance on ${dialect}`, () => {
    const opened: Opened[] = [];
    const fresh = async () => {
      const o = await open();
      opened.push(o);
      return o.db;
    };
    after(async () => {
      for (const o of opened) await o.cleanup();
    });

    test('a fresh schema equals one migrated step by step, down and up again', async () => {
      const a = await fresh();
      await migrateToLatest(a, migrations);
      const b = await fresh();
      for (let i = 1; i <= names.length; i++) {
        const m = new Migrator({ db: b.kysely, provider: providerUpTo(i) });
        const up = await m.migrateToLatest();
        assert.equal(up.error, undefined, `migration ${names[i - 1]} up`);
        // Every step can be undone and redone: down one, up one.
        const down = await m.migrateDown();
        assert.equal(down.error, undefined, `migration ${names[i - 1]} down`);
        const again = await m.migrateToLatest();
        assert.equal(again.error, undefined, `migration ${names[i - 1]} up again`);
      }
      assert.deepEqual(await dumpSchema(b), await dumpSchema(a));
      assert.ok((await dumpSchema(a)).length > 20);
    });

    test('migrating twice is a no-op', async () => {
      const db = await fresh();
      await migrateToLatest(db, migrations);
      assert.deepEqual(await migrateToLatest(db, migrations), []);
    });

    test('epoch milliseconds, text and integers read back with the same types', async () => {
      const db = await fresh();
      await migrateToLatest(db, migrations);
      const now = 1_790_000_000_123;
      await db.kysely
        .insertInto('portal_settings')
        .values({ key: 'k', value: '{"a":[1,"é"]}', modified: now })
        .execute();
      const row = await db.kysely
        .selectFrom('portal_settings')
        .selectAll()
        .where('key', '=', 'k')
        .executeTakeFirstOrThrow();
      assert.equal(row.modified, now);
      assert.equal(typeof row.modified, 'number');
      assert.deepEqual(JSON.parse(row.value), { a: [1, 'é'] });
    });

    test('a failed transaction leaves nothing behind', async () => {
      const db = await fresh();
      await migrateToLatest(db, migrations);
      await assert.rejects(
        db.kysely.transaction().execute(async (trx) => {
          await trx.insertInto('portal_settings').values({ key: 'x', value: '1', modified: 1 }).execute();
          await trx.insertInto('portal_settings').values({ key: 'x', value: '2', modified: 2 }).execute();
        }),
      );
      assert.equal((await db.kysely.selectFrom('portal_settings').selectAll().execute()).length, 0);
    });

    test('unique usernames ignore case', async () => {
      const db = await fresh();
      await migrateToLatest(db, migrations);
      const insert = (username: string) =>
        sql`INSERT INTO users (id, username, username_lower, role, created, modified)
            VALUES (${username}, ${username}, ${username.toLowerCase()}, 'org_user', 1, 1)`.execute(
          db.kysely,
        );
      await insert('Alice');
      await assert.rejects(insert('ALICE'));
    });

    test('the portal settings store survives a reopen and notifies subscribers', async () => {
      const db = await fresh();
      await migrateToLatest(db, migrations);
      const bus = new ChangeBus(db);
      await bus.start();
      const store = new PortalSettingsStore({ db, bus });
      const first = await store.get();
      assert.equal(first.maxTokenExpirationMinutes, 20160);
      await store.update({ maxTokenExpirationMinutes: 60, name: 'Test org' });
      const other = new PortalSettingsStore({ db, bus });
      const read = await other.get();
      assert.equal(read.maxTokenExpirationMinutes, 60);
      assert.equal(read.name, 'Test org');
      assert.equal(read.id, first.id);
      await bus.stop();
    });
  });
}

describe('change bus across two PostgreSQL nodes', () => {
  test('an event published on one node reaches the other', async () => {
    const pg = await createPgDatabase();
    const a = openDatabase({ url: pg.url });
    const b = openDatabase({ url: pg.url });
    const busA = new ChangeBus(a);
    const busB = new ChangeBus(b);
    await busA.start();
    await busB.start();
    try {
      const got = new Promise<Record<string, unknown>>((resolve) =>
        busB.on('test.topic', (e) => resolve(e.data)),
      );
      await busA.publish('test.topic', { n: 42 });
      const data = await Promise.race([
        got,
        new Promise((_, rej) => setTimeout(() => rej(new Error('no event in 5 s')), 5000)),
      ]);
      assert.deepEqual(data, { n: 42 });
    } finally {
      await busA.stop();
      await busB.stop();
      await a.close();
      await b.close();
      await pg.drop();
    }
  });
});

describe('change bus across two connections to one SQLite file', () => {
  test('an event published through one connection reaches a node on the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-bus-'));
    const a = openDatabase({ home: dir });
    await migrateToLatest(a, migrations);
    const b = openDatabase({ home: dir });
    const busA = new ChangeBus(a);
    const busB = new ChangeBus(b);
    await busB.start();
    try {
      const got = new Promise<Record<string, unknown>>((resolve) =>
        busB.on('test.topic', (e) => resolve(e.data)),
      );
      // busA is not started: like a `meridian` command, it only publishes.
      await busA.publish('test.topic', { n: 7 });
      const data = await Promise.race([
        got,
        new Promise((_, rej) => setTimeout(() => rej(new Error('no event in 5 s')), 5000)),
      ]);
      assert.deepEqual(data, { n: 7 });
    } finally {
      await busB.stop();
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
