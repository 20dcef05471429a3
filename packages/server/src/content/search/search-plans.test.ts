import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type CompiledQuery, CompiledQuery as CQ, type Kysely, sql } from 'kysely';
import { seedItems } from '../../../../../bench/fixtures/items.ts';
import type { Database } from '../../kernel/db/schema.ts';
import { openTestContentDb, TEST_ORG_ID, type TestContentDb } from '../test-content-db.ts';
import type { Viewer } from '../viewer.ts';
import { type SearchForce, type SearchParams, searchQueries } from './search-items.ts';

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
  // SQLite: a SCAN of a table alias without an index, or of the whole doc index. A walk reads a
  // sort index in order ("SCAN x USING INDEX search_docs_modified") and stops at the page.
  const full =
    dialect === 'sqlite'
      ? /SCAN (x|p|g|d|i|b|sd)\s*$|SCAN \w+ USING (COVERING )?INDEX item_terms_doc/m.test(text)
      : /Seq Scan on (items|item_terms|search_docs)\b/.test(text);
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

    test('everyday shapes take the term index path and stay in indexes, with either page strategy', async () => {
      const shapes: SearchParams[] = [
        { q: 'water' },
        { q: 'type:"Web Map"' },
        { q: `owner:${owner}` },
        { q: 'tags:flood' },
        { q: 'flood AND type:"Feature Service"' },
        { q: 'wat*' },
        { q: 'water', sortField: 'title' },
        { q: 'water -flood' },
        { q: 'flood OR wildfire', sortField: 'numviews', sortOrder: 'desc' },
        { q: '"storm surge"' },
        { q: `id: 0123456789abcdef0123456789abcdef AND group: ${group}` },
        { q: `group:${group}` },
        { q: 'water', bbox: '-10,30,20,60' },
      ];
      for (const params of shapes) {
        for (const [who, viewer] of viewers()) {
          for (const force of [{ page: 'walk' }, { page: 'sort' }] as SearchForce[]) {
            const q = await searchQueries(t.db.kysely, viewer, TEST_ORG_ID, params, force);
            assert.equal(q.path, 'terms', `${params.q} should take the term path`);
            const what = `${params.q} for ${who} (${force.page})`;
            assertNoFullScan(
              dialect,
              await plan(t.db.kysely, dialect, q.count.compile(t.db.kysely)),
              `count of ${what}`,
            );
            const page = await q.page(1000);
            if (force.page === 'walk' && params.sortField === 'numviews') continue;
            assertNoFullScan(
              dialect,
              await plan(t.db.kysely, dialect, page.query.compile(t.db.kysely)),
              `page of ${what}`,
            );
          }
        }
      }
    });
  });
}
