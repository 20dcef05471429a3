import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CompiledQuery, CompiledQuery as CQ, type Kysely, sql } from 'kysely';
import { seedItems } from '../../../../../bench/fixtures/items.ts';
import type { Database } from '../../db/schema.ts';
import { openTestContentDb, TEST_ORG_ID, type TestContentDb } from '../test-content-db.ts';
import type { Viewer } from '../viewer.ts';
import { parseQuery } from './parse-query.ts';
import { type SearchParams, searchQueries } from './search-items.ts';
import { parseSort } from './sort.ts';
import { termPathLookups, termPathQueries } from './term-path.ts';

/**
 * The main search shapes are answered from indexes, never by reading every item: checked
 * with EXPLAIN QUERY PLAN on SQLite and EXPLAIN (sequential scans disabled, so a Seq Scan
 * means no index could serve) on PostgreSQL. No timings here: see bench/.
 */
async function plan(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', q: CompiledQuery): Promise<string> {
  if (dialect === 'sqlite') {
    const r = await db.executeQuery<{ detail: string }>(
      CQ.raw(`EXPLAIN QUERY PLAN ${q.sql}`, [...q.parameters]),
    );
    return r.rows.map((row) => row.detail).join('\n');
  }
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const r = await trx.executeQuery<{ 'QUERY PLAN': string }>(CQ.raw(`EXPLAIN ${q.sql}`, [...q.parameters]));
    return r.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

function assertNoFullScan(dialect: 'sqlite' | 'postgres', text: string, what: string): void {
  const full =
    dialect === 'sqlite'
      ? /^SCAN (items|item_terms|t|p)\b/m.test(text)
      : /Seq Scan on (items|item_terms)\b/.test(text);
  assert.ok(!full, `${what} reads every item:\n${text}`);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`search query plans (${dialect})`, () => {
    let t: TestContentDb;
    let owner = '';
    let group = '';
    before(async () => {
      t = await openTestContentDb(dialect);
      const seeded = await seedItems(t.db.kysely, 3000, { owners: 50, groups: 20 });
      owner = seeded.owners[3]!;
      group = seeded.groups[0]!;
      await sql.raw(dialect === 'sqlite' ? 'ANALYZE' : 'ANALYZE').execute(t.db.kysely);
    });
    after(() => t.close());

    const viewers = (): [string, Viewer][] => [
      ['anonymous', { username: null, isAdmin: false }],
      ['a user', { username: owner, isAdmin: false }],
      ['an administrator', { username: 'admin', isAdmin: true }],
    ];

    test('everyday shapes take the term index path and stay in indexes', async () => {
      for (const q of [
        'water',
        'type:"Web Map"',
        `owner:${owner}`,
        'tags:flood',
        'flood AND type:"Feature Service"',
        'wat*',
      ]) {
        for (const [who, viewer] of viewers()) {
          const sort = parseSort(undefined, undefined);
          const lookups = termPathLookups(parseQuery(q), sort, false);
          assert.ok(lookups, `${q} should take the term path`);
          const { count, page } = await termPathQueries(t.db.kysely, viewer, lookups, sort[0]!, 1, 10);
          assertNoFullScan(
            dialect,
            await plan(t.db.kysely, dialect, count.compile(t.db.kysely)),
            `count of ${q} for ${who}`,
          );
          assertNoFullScan(
            dialect,
            await plan(t.db.kysely, dialect, page.compile(t.db.kysely)),
            `page of ${q} for ${who}`,
          );
        }
      }
    });

    test('other shapes (general path) with a term, an id or a group stay in indexes', async () => {
      const shapes: SearchParams[] = [
        { q: 'water', sortField: 'title' },
        { q: 'water -flood' },
        { q: 'flood OR wildfire', sortField: 'numviews', sortOrder: 'desc' },
        { q: '"storm surge"' },
        { q: `id: 0123456789abcdef0123456789abcdef AND group: ${group}` },
        { q: `group:${group}` },
      ];
      for (const params of shapes) {
        for (const [who, viewer] of viewers()) {
          const { count, page } = searchQueries(t.db.kysely, viewer, TEST_ORG_ID, params);
          assertNoFullScan(
            dialect,
            await plan(t.db.kysely, dialect, count.compile()),
            `count of ${params.q} for ${who}`,
          );
          assertNoFullScan(
            dialect,
            await plan(t.db.kysely, dialect, page.compile()),
            `page of ${params.q} for ${who}`,
          );
        }
      }
    });
  });
}
