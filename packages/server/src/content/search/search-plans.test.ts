import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CompiledQuery, CompiledQuery as CQ, type Kysely, sql } from 'kysely';
import { seedItems } from '../../../../../bench/fixtures/items.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { openTestContentDb, TEST_ORG_ID, type TestContentDb } from '../test-content-db.ts';
import type { Viewer } from '../viewer.ts';
import { SEARCH_SETTINGS } from './pg-settings.ts';
import type { PageStrategy } from './plan-input.ts';
import { type SearchParams, searchQueries } from './search-items.ts';

/**
 * The everyday shapes are answered by the database's full-text engine and the indexes, never by
 * reading every item: checked with EXPLAIN QUERY PLAN on SQLite and EXPLAIN on PostgreSQL (with
 * the settings a search runs under). No timings here: see bench/search-shapes.ts.
 */
type Dialect = 'sqlite' | 'postgres';

async function plan(db: Kysely<Database>, dialect: Dialect, q: CompiledQuery): Promise<string> {
  if (dialect === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(
      CQ.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
    );
    return r.rows.map((row) => row.detail).join('\n');
  }
  return db.transaction().execute(async (trx) => {
    await sql`SELECT ${SEARCH_SETTINGS}`.execute(trx);
    const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(CQ.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
    return r.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

/** A scan of a whole table (SQLite: SCAN without an index; PostgreSQL: Seq Scan). */
function fullScan(dialect: Dialect, text: string): boolean {
  return dialect === 'sqlite'
    ? /SCAN (d|o|i|s|b|search_docs|items)\s*$/m.test(text)
    : /Seq Scan on (search_docs|items|item_shares)\b/.test(text);
}

/** The engine answered the words: FTS5 MATCH, or the GIN index of the tsvectors. */
function usesEngine(dialect: Dialect, text: string): boolean {
  return dialect === 'sqlite'
    ? /SCAN search_fts_(open|closed) VIRTUAL TABLE INDEX \d+:\S*M/.test(text)
    : /Bitmap Index Scan on search_docs_tsv/.test(text);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`search query plans (${dialect})`, () => {
    let t: TestContentDb;
    let owner = '';
    let group = '';
    let db: Kysely<Database>;
    before(async () => {
      t = await openTestContentDb(dialect);
      db = t.db.kysely;
      const seeded = await seedItems(db, 3000, { owners: 50, groups: 20 });
      owner = seeded.owners[3]!;
      group = seeded.groups[0]!;
      await sql.raw('ANALYZE').execute(db);
    });
    after(() => t.close());

    const viewers = (): [string, Viewer][] => [
      ['anonymous', { username: null, isAdmin: false }],
      ['a user', { username: owner, isAdmin: false }],
      ['an administrator', { username: 'admin', isAdmin: true }],
    ];

    async function statements(viewer: Viewer, params: SearchParams, page?: PageStrategy) {
      const q = await searchQueries(db, viewer, TEST_ORG_ID, params, page ? { page } : {});
      const count = q.plan.count.compile(db);
      const counted = (await db.executeQuery<{ n: number; docs?: number }>(count)).rows[0]!;
      const p = q.plan.page(Math.max(Number(counted.n), 1), Number(counted.docs ?? 3000));
      return { path: q.path, count, page: p.query.compile(db), strategy: p.strategy };
    }

    test('shapes with words: the engine counts, and no table is read whole', async () => {
      const shapes: SearchParams[] = [
        { q: 'water' },
        { q: 'type:"Web Map"' },
        { q: `owner:${owner}` },
        { q: 'tags:flood' },
        { q: 'flood AND type:"Feature Service"' },
        { q: 'wat*' },
        { q: 'water', sortField: 'title' },
        { q: 'water', sortField: 'created', sortOrder: 'asc' },
        { q: 'water -flood' },
        { q: 'flood OR wildfire', sortField: 'numviews', sortOrder: 'desc' },
        { q: '"storm surge"' },
        { q: `id: 0123456789abcdef0123456789abcdef AND group: ${group}` },
        { q: `group:${group}` },
        { q: 'water', bbox: '-10,30,20,60' },
        { q: `water AND created:[0 TO ${Date.now()}]` },
      ];
      for (const params of shapes)
        for (const [who, viewer] of viewers())
          for (const page of ['walk', 'sort'] as const) {
            const s = await statements(viewer, params, page);
            const what = `${JSON.stringify(params)} for ${who} (${page})`;
            assert.equal(s.path, 'terms', what);
            const count = await plan(db, dialect, s.count);
            // id: is a key lookup, and a bbox an index of the extents, which PostgreSQL may rightly
            // prefer to the tsvector index (the words are then checked on those few rows).
            const other = dialect === 'postgres' && /search_docs_item_id_key|search_docs_extent/.test(count);
            assert.ok(
              usesEngine(dialect, count) || other,
              `count of ${what} does not use the full-text index:\n${count}`,
            );
            assert.ok(!fullScan(dialect, count), `count of ${what} reads a whole table:\n${count}`);
            if (params.sortField === 'numviews' && page === 'walk') continue;
            const p = await plan(db, dialect, s.page);
            assert.ok(!fullScan(dialect, p), `page of ${what} reads a whole table:\n${p}`);
          }
    });

    test('a page in modified order is read in index order and stops at the page', async () => {
      for (const [who, viewer] of viewers()) {
        const s = await statements(viewer, { q: 'water', start: 41 }, 'walk');
        const p = await plan(db, dialect, s.page);
        assert.equal(s.strategy, 'walk', who);
        if (dialect === 'sqlite') {
          // FTS5 returns each table's matches in rowid (= key) order, each limited to the page's
          // end; the two short lists are merged. search_docs is read for the page's rows only.
          assert.ok(
            usesEngine(dialect, p) && /MERGE \(UNION ALL\)|^SCAN search_fts/m.test(p),
            `${who}:\n${p}`,
          );
          assert.ok(!fullScan(dialect, p) && !/SCAN (o|d)\b/.test(p), `${who}:\n${p}`);
        } else {
          assert.match(p, /Limit[\s\S]*Index Scan Backward using search_docs_pkey/, who);
          assert.doesNotMatch(p, /Sort/, who);
        }
      }
    });

    if (dialect === 'postgres')
      test('rows stay narrow: every tsvector is stored out of the row', async () => {
        const r = await sql<{ bytes: number; rows: number }>`
          SELECT pg_relation_size('search_docs') AS bytes, count(*) AS rows FROM search_docs`.execute(db);
        const { bytes, rows } = r.rows[0]!;
        assert.ok(Number(bytes) / Number(rows) < 300, `${bytes} bytes for ${rows} rows`);
      });

    test('shapes without words read indexes (the access filter counted part by part)', async () => {
      for (const params of [
        { q: '*' },
        { q: '' },
        { q: `created:[0 TO ${Date.now()}]` },
        { q: '*', bbox: '-10,30,20,60' },
      ])
        for (const [who, viewer] of viewers()) {
          const s = await statements(viewer, params);
          const what = `${JSON.stringify(params)} for ${who}`;
          assert.equal(s.path, 'general', what);
          const count = await plan(db, dialect, s.count);
          if (!params.q.startsWith('created'))
            assert.ok(!fullScan(dialect, count), `count of ${what}:\n${count}`);
          const p = await plan(db, dialect, s.page);
          if (dialect === 'postgres' && !params.bbox)
            assert.match(p, /Index Scan Backward using search_docs_pkey/, what);
        }
    });
  });
}
