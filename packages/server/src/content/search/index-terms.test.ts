import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { type Db, openDatabase } from '../../kernel/db/database.ts';
import { migrateToLatest } from '../../kernel/db/migrate.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { roleMigrations } from '../../roles/compose.ts';
import { portalModules } from '../../roles/portal.ts';
import type { ItemRow } from '../item-json.ts';
import { deleteItemRow, insertItemRow, updateItemRow } from '../item-store.ts';
import type { Viewer } from '../viewer.ts';
import { DOC_SEQ, docBase } from './doc-key.ts';
import { rebuildSearchIndex, syncTermAccess } from './index-terms.ts';
import { type SearchParams, searchIds } from './search-items.ts';

/**
 * Keeping the index in step with the items: keys in modified order (several items in one
 * millisecond, more than its 1,024 keys, two nodes at once), updates, shares, deletes, a rebuild,
 * and the migration that builds the index from an existing database. On both databases.
 */
const ORG = 'testorg0001';
const T0 = 1_750_000_000_000;
const admin: Viewer = { username: 'admin', isAdmin: true };
const bob: Viewer = { username: 'bob', isAdmin: false };
const anon: Viewer = { username: null, isAdmin: false };

let counter = 0;
function itemRow(over: Partial<ItemRow> = {}): Omit<ItemRow, 'title_sort' | 'search_text'> {
  counter++;
  return {
    id: `item${String(counter).padStart(28, '0')}`,
    owner: 'alice',
    folder_id: null,
    title: `Item ${counter}`,
    type: 'Web Map',
    type_keywords: '[]',
    description: '',
    snippet: '',
    tags: '[]',
    url: null,
    access: 'private',
    extent_xmin: null,
    extent_ymin: null,
    extent_xmax: null,
    extent_ymax: null,
    spatial_reference: null,
    properties: null,
    license_info: '',
    access_information: '',
    culture: '',
    data_kind: 'none',
    data_text: null,
    file_name: null,
    file_key: null,
    file_type: null,
    thumbnail_key: null,
    thumbnail_name: null,
    size: 0,
    num_views: 0,
    created: T0,
    modified: T0,
    ...over,
  };
}

async function open(dialect: 'sqlite' | 'postgres', migrations = roleMigrations(portalModules)) {
  const home = mkdtempSync(join(tmpdir(), 'meridian-search-index-'));
  const pgdb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const db: Db = openDatabase(pgdb ? { url: pgdb.url } : { home });
  await migrateToLatest(db, migrations);
  return {
    db,
    async close() {
      await db.close();
      await pgdb?.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function addGroup(db: Kysely<Database>, id: string, members: string[]): Promise<void> {
  await db
    .insertInto('groups')
    .values({
      id,
      title: id,
      owner: 'alice',
      description: '',
      snippet: '',
      tags: '[]',
      access: 'private',
      is_invitation_only: 0,
      is_view_only: 0,
      sort_field: 'title',
      sort_order: 'asc',
      created: T0,
      modified: T0,
    })
    .execute();
  for (const username of members)
    await db
      .insertInto('group_members')
      .values({ group_id: id, username, member_type: 'member', joined: T0 })
      .execute();
}

/** Entries of the engine's own index (not search_docs): FTS5 rows, or tsvectors. */
async function engineEntries(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): Promise<number> {
  const r =
    dialect === 'sqlite'
      ? await sql<{ n: number }>`SELECT
          (SELECT count(*) FROM search_fts_open WHERE search_fts_open MATCH 'acl : e') +
          (SELECT count(*) FROM search_fts_closed WHERE search_fts_closed MATCH 'acl : e') AS n`.execute(db)
      : await sql<{ n: number }>`SELECT count(*) AS n FROM search_docs WHERE tsv @@ '_e'::tsquery`.execute(
          db,
        );
  return Number(r.rows[0]!.n);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`search index maintenance (${dialect})`, () => {
    let t: Awaited<ReturnType<typeof open>>;
    let db: Kysely<Database>;
    const ids = (viewer: Viewer, params: SearchParams) =>
      searchIds(db, viewer, ORG, { num: 100, ...params }).then((r) => r.ids);

    before(async () => {
      t = await open(dialect);
      db = t.db.kysely;
    });
    after(() => t.close());

    test('keys follow modified time; items of one millisecond get the next keys', async () => {
      const rows = [itemRow({ modified: T0 + 5 }), itemRow({ modified: T0 }), itemRow({ modified: T0 })];
      await db.transaction().execute(async (trx) => {
        for (const r of rows) await insertItemRow(trx, { ...r, title: `millisecond ${r.title}` });
      });
      const docs = await db
        .selectFrom('search_docs')
        .select(['item_id', 'doc'])
        .where(
          'item_id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      const doc = (id: string) => Number(docs.find((d) => d.item_id === id)!.doc);
      assert.equal(doc(rows[0]!.id), docBase(T0 + 5));
      assert.equal(doc(rows[1]!.id), docBase(T0));
      assert.equal(doc(rows[2]!.id), docBase(T0) + 1);
      assert.deepEqual(await ids(admin, { q: 'millisecond' }), [rows[0]!.id, rows[2]!.id, rows[1]!.id]);
      assert.deepEqual(await ids(admin, { q: 'millisecond', sortField: 'modified', sortOrder: 'asc' }), [
        rows[1]!.id,
        rows[2]!.id,
        rows[0]!.id,
      ]);
    });

    test('past the 1,024 keys of a millisecond, the next ones; every item found once, pages agree', async () => {
      const at = T0 + 1_000_000;
      const rows = Array.from({ length: DOC_SEQ + 6 }, () => itemRow({ modified: at, title: 'crowded' }));
      await db.transaction().execute(async (trx) => {
        for (const r of rows) await insertItemRow(trx, r);
      });
      const r = await searchIds(db, admin, ORG, { q: 'crowded', num: 100 });
      assert.equal(r.total, rows.length);
      const seen: string[] = [];
      for (let start = 1; start <= rows.length; start += 100)
        seen.push(...(await searchIds(db, admin, ORG, { q: 'crowded', num: 100, start })).ids);
      assert.deepEqual([...seen].sort(), rows.map((x) => x.id).sort());
      const max = await sql<{ m: number }>`SELECT max(doc) AS m FROM search_docs`.execute(db);
      assert.equal(Number(max.rows[0]!.m), docBase(at) + DOC_SEQ + 5);
    });

    test('an update re-keys the item and re-indexes its words; a share keeps the key', async () => {
      const row = await db
        .transaction()
        .execute((trx) => insertItemRow(trx, itemRow({ title: 'Harbour depth', modified: T0 - 10 })));
      assert.deepEqual(await ids(admin, { q: 'harbour' }), [row.id]);
      const later = await db
        .transaction()
        .execute((trx) => updateItemRow(trx, row, { title: 'Harbor soundings', modified: T0 + 2_000_000 }));
      assert.deepEqual(await ids(admin, { q: 'harbour' }), []);
      assert.deepEqual(await ids(admin, { q: 'soundings' }), [row.id]);
      assert.equal((await ids(admin, {}))[0], row.id, 'now the most recently modified');
      const key = async () =>
        Number(
          (
            await db
              .selectFrom('search_docs')
              .select('doc')
              .where('item_id', '=', row.id)
              .executeTakeFirstOrThrow()
          ).doc,
        );
      const before = await key();
      await addGroup(db, 'g1', ['bob']);
      assert.deepEqual(await ids(bob, { q: 'soundings' }), []);
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('item_shares').values({ item_id: row.id, group_id: 'g1', shared: T0 }).execute();
        await trx.updateTable('items').set({ access: 'shared' }).where('id', '=', row.id).execute();
        await syncTermAccess(trx, [row.id]);
      });
      assert.equal(await key(), before);
      assert.deepEqual(await ids(bob, { q: 'soundings' }), [later.id]);
      assert.deepEqual(await ids(bob, { q: 'group:g1' }), [later.id]);
      assert.deepEqual(await ids(anon, { q: 'soundings' }), []);
    });

    test('a deleted item leaves nothing in the engine, search_docs or the extents', async () => {
      const row = await db.transaction().execute((trx) =>
        insertItemRow(
          trx,
          itemRow({
            title: 'Ephemeral layer',
            extent_xmin: 1,
            extent_ymin: 1,
            extent_xmax: 2,
            extent_ymax: 2,
          }),
        ),
      );
      assert.deepEqual(await ids(admin, { q: 'ephemeral', bbox: '0,0,3,3' }), [row.id]);
      const entries = await engineEntries(db, dialect);
      await db.transaction().execute((trx) => deleteItemRow(trx, row.id));
      assert.deepEqual(await ids(admin, { q: 'ephemeral' }), []);
      assert.deepEqual(await ids(admin, { bbox: '0,0,3,3' }), []);
      assert.equal(await engineEntries(db, dialect), entries - 1);
      const docs = await db
        .selectFrom('search_docs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(docs.n), entries - 1);
      if (dialect === 'sqlite') {
        const boxes = await sql<{ n: number }>`SELECT count(*) AS n FROM search_extents`.execute(db);
        assert.equal(Number(boxes.rows[0]!.n), 0);
      }
    });

    test('a rebuild gives the index the incremental writes gave', async () => {
      const queries: SearchParams[] = [
        { q: 'crowded' },
        { q: 'soundings' },
        { q: 'millisecond' },
        { q: '*' },
      ];
      const viewers = [admin, bob, anon];
      const before: Awaited<ReturnType<typeof searchIds>>[] = [];
      for (const v of viewers)
        for (const p of queries) before.push(await searchIds(db, v, ORG, { num: 100, ...p }));
      const { items } = await rebuildSearchIndex(db);
      assert.equal(items, before[3]!.total);
      let i = 0;
      for (const v of viewers)
        for (const p of queries) {
          const r = await searchIds(db, v, ORG, { num: 100, ...p });
          const was = before[i++]!;
          assert.equal(r.total, was.total, `${p.q} as ${v.username}`);
          // Same set (keys given out again in modified order may order one millisecond's items differently).
          assert.deepEqual([...r.ids].sort(), [...was.ids].sort(), `${p.q} as ${v.username}`);
        }
    });

    if (dialect === 'postgres')
      test('two nodes indexing items of the same millisecond at once both succeed, with different keys', async () => {
        const at = T0 + 3_000_000;
        const first = itemRow({ modified: at, title: 'concurrent one' });
        const second = itemRow({ modified: at, title: 'concurrent two' });
        let releaseFirst!: () => void;
        const firstHolds = new Promise<void>((r) => {
          releaseFirst = r;
        });
        let firstWrote!: () => void;
        const wrote = new Promise<void>((r) => {
          firstWrote = r;
        });
        const a = db.transaction().execute(async (trx) => {
          await insertItemRow(trx, first);
          firstWrote();
          await firstHolds;
        });
        await wrote;
        // The second transaction finds the same free key, waits on the first one's row, then takes the next.
        const b = db.transaction().execute((trx) => insertItemRow(trx, second));
        await new Promise((r) => setTimeout(r, 200));
        releaseFirst();
        await Promise.all([a, b]);
        const docs = await db
          .selectFrom('search_docs')
          .select('doc')
          .where('item_id', 'in', [first.id, second.id])
          .orderBy('doc')
          .execute();
        assert.deepEqual(
          docs.map((d) => Number(d.doc)),
          [docBase(at), docBase(at) + 1],
        );
        assert.equal((await searchIds(db, admin, ORG, { q: 'concurrent' })).total, 2);
      });
  });

  describe(`the migration to the full-text index (${dialect})`, () => {
    test('builds the index from the items, shares and extents already there', async () => {
      const all = roleMigrations(portalModules);
      const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0015_search_fts'));
      const t = await open(dialect, before);
      try {
        const db = t.db.kysely;
        // Rows as the previous version left them (its own index is dropped by the migration).
        const rows = [
          itemRow({
            title: 'Legacy water mains',
            access: 'public',
            extent_xmin: 5,
            extent_ymin: 5,
            extent_xmax: 6,
            extent_ymax: 6,
          }),
          itemRow({ title: 'Legacy water valves', access: 'shared', owner: 'carol' }),
          itemRow({ title: 'Legacy water notes', access: 'private', owner: 'carol' }),
        ];
        for (const r of rows)
          await db
            .insertInto('items')
            .values({ ...r, title_sort: r.title.toLowerCase(), search_text: '' })
            .execute();
        await addGroup(db, 'g2', ['bob']);
        await db
          .insertInto('item_shares')
          .values({ item_id: rows[1]!.id, group_id: 'g2', shared: T0 })
          .execute();
        await migrateToLatest(t.db, all);
        const ids = async (viewer: Viewer, params: SearchParams) =>
          (await searchIds(db, viewer, ORG, { num: 100, ...params })).ids.sort();
        assert.deepEqual(await ids(admin, { q: 'legacy water' }), rows.map((r) => r.id).sort());
        assert.deepEqual(await ids(bob, { q: '"legacy water"' }), [rows[0]!.id, rows[1]!.id].sort());
        assert.deepEqual(await ids(anon, { q: 'legacy' }), [rows[0]!.id]);
        assert.deepEqual(await ids(admin, { q: 'group:g2' }), [rows[1]!.id]);
        assert.deepEqual(await ids(admin, { bbox: '4,4,5,5' }), [rows[0]!.id]);
      } finally {
        await t.close();
      }
    });
  });
}
