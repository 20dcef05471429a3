import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SeededItem, seedItems } from '../../../../../bench/fixtures/items.ts';
import {
  freeText,
  hasPhrase,
  type OracleViewer,
  visibleTo,
  words,
} from '../../../../../bench/search-oracle.ts';
import { openTestContentDb, TEST_ORG_ID, type TestContentDb } from '../test-content-db.ts';
import type { Viewer } from '../viewer.ts';
import { type SearchForce, type SearchParams, searchIds } from './search-items.ts';

/**
 * The full-text engines' answers equal a brute-force oracle: each query is also worked out from
 * the seeded items themselves (bench/search-oracle.ts, which knows nothing of the index), and the
 * total and the ids of the first pages, in order, must agree, for an ordinary user in several
 * groups, an administrator and an anonymous caller, on SQLite and PostgreSQL.
 */
type Match = (it: SeededItem) => boolean;

const has = (it: SeededItem, phrase: string) => hasPhrase(freeText(it), phrase);
const prefixed = (values: readonly string[], prefix: string) =>
  values.some((v) => words(v).some((w) => w.startsWith(prefix)));
const BBOX = [-10, 30, 20, 60] as const;
const inBbox = (it: SeededItem) =>
  it.extent !== null &&
  it.extent[0] <= BBOX[2] &&
  it.extent[2] >= BBOX[0] &&
  it.extent[1] <= BBOX[3] &&
  it.extent[3] >= BBOX[1];

/** Key order (doc-key.ts): modified time, then (as the index is built) id. */
const keyOrder = (a: SeededItem, b: SeededItem) =>
  a.modified - b.modified || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ORDERS: [
  string,
  Pick<SearchParams, 'sortField' | 'sortOrder'>,
  (a: SeededItem, b: SeededItem) => number,
][] = [
  ['modified desc', {}, (a, b) => -keyOrder(a, b)],
  ['modified asc', { sortField: 'modified', sortOrder: 'asc' }, keyOrder],
  [
    'title asc',
    { sortField: 'title', sortOrder: 'asc' },
    (a, b) => {
      const [x, y] = [a.title.toLowerCase(), b.title.toLowerCase()];
      return x < y ? -1 : x > y ? 1 : keyOrder(a, b);
    },
  ],
  [
    'created desc',
    { sortField: 'created', sortOrder: 'desc' },
    (a, b) => b.created - a.created || -keyOrder(a, b),
  ],
];

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`search against a brute-force oracle (${dialect})`, () => {
    let t: TestContentDb;
    const items: SeededItem[] = [];
    let viewers: [string, Viewer, OracleViewer][] = [];
    let group = '';
    let owner = '';

    before(async () => {
      t = await openTestContentDb(dialect);
      const seeded = await seedItems(t.db.kysely, 3000, {
        owners: 60,
        groups: 25,
        onItem: (it) => items.push(it),
      });
      const groupsOf = (u: string) =>
        new Set([...seeded.members].filter(([, m]) => m.includes(u)).map(([g]) => g));
      const username = seeded.owners.find((u) => groupsOf(u).size >= 3)!;
      viewers = [
        ['a user', { username, isAdmin: false }, { admin: false, username, groups: groupsOf(username) }],
        ['an administrator', { username: 'admin', isAdmin: true }, { admin: true }],
        [
          'anonymous',
          { username: null, isAdmin: false },
          { admin: false, username: null, groups: new Set() },
        ],
      ];
      group = [...groupsOf(username)][0]!;
      owner = seeded.owners[2]!;
    });
    after(() => t.close());

    /** Every id of the answer in order (pages of 100), and the total. */
    async function answer(viewer: Viewer, params: SearchParams, force: SearchForce = {}) {
      const ids: string[] = [];
      let total = 0;
      for (let start = 1; ; start += 100) {
        const r = await searchIds(t.db.kysely, viewer, TEST_ORG_ID, { ...params, start, num: 100 }, force);
        total = r.total;
        ids.push(...r.ids);
        if (start + 100 > Math.min(total, 400)) break;
      }
      return { total, ids };
    }

    async function check(q: string, match: Match, extra: SearchParams = {}, orders = ORDERS) {
      for (const [who, viewer, oracle] of viewers) {
        const want = items.filter((it) => match(it) && visibleTo(oracle, it));
        for (const [name, sort, compare] of orders) {
          const expected = [...want].sort(compare).map((it) => it.id);
          // The strategy the plan picks, and each one forced: all must give the oracle's pages.
          for (const page of [undefined, 'walk', 'sort'] as const) {
            const got = await answer(viewer, { q, ...extra, ...sort }, page ? { page } : {});
            const what = `q=${q} ${JSON.stringify(extra)} by ${name} as ${who}${page ? ` (${page})` : ''}`;
            assert.equal(got.total, want.length, `${what}: total`);
            assert.deepEqual(got.ids, expected.slice(0, got.ids.length), `${what}: ids in order`);
            assert.equal(got.ids.length, Math.min(expected.length, 400), `${what}: ids read`);
          }
        }
      }
    }

    test('a phrase, in any text field and in one field; never across two values', async () => {
      await check('"storm surge"', (it) => has(it, 'storm surge'));
      await check('title:"springfield water"', (it) => hasPhrase([it.title], 'springfield water'));
      await check('type:"Web Map"', (it) => hasPhrase([it.type], 'web map'));
      await check('typekeywords:"web map"', (it) => hasPhrase(it.typeKeywords, 'web map'));
      await check('"explorer web map"', (it) => has(it, 'explorer web map'));
      await check('typekeywords:"arcgis api for javascript"', (it) =>
        hasPhrase(it.typeKeywords, 'arcgis api for javascript'),
      );
      const pair = words(items[7]!.description).slice(2, 4).join(' ');
      await check(`description:"${pair}"`, (it) => hasPhrase([it.description], pair));
      await check(`"${pair}"`, (it) => has(it, pair));
    });

    test('AND of common terms, OR, NOT, nesting, a query of exclusions alone', async () => {
      await check('water AND flood', (it) => has(it, 'water') && has(it, 'flood'));
      await check('water map', (it) => has(it, 'water') || has(it, 'map'));
      await check('water AND type:"Web Map"', (it) => has(it, 'water') && hasPhrase([it.type], 'web map'));
      await check('water -flood', (it) => has(it, 'water') && !has(it, 'flood'));
      await check(
        '(water OR river) AND NOT (flood OR storm)',
        (it) => (has(it, 'water') || has(it, 'river')) && !has(it, 'flood') && !has(it, 'storm'),
      );
      await check('-water', (it) => !has(it, 'water'), {}, ORDERS.slice(0, 1));
      await check('+water +river -flood', (it) => has(it, 'water') && has(it, 'river') && !has(it, 'flood'));
    });

    test('prefixes, fields, owner, group and access tokens, bbox and ranges', async () => {
      await check('wat*', (it) => prefixed(freeText(it), 'wat'));
      await check('description:sedi*', (it) => prefixed([it.description], 'sedi'));
      await check('tags:flood', (it) => hasPhrase(it.tags, 'flood'));
      await check(`owner:${owner.toUpperCase()}`, (it) => it.owner === owner);
      await check('owner:user001*', (it) => it.owner.startsWith('user001'));
      await check(`group:${group}`, (it) => it.sharedWith.includes(group));
      await check('access:shared', (it) => it.access === 'shared');
      await check('water', (it) => has(it, 'water') && inBbox(it), { bbox: BBOX.join(',') });
      const mid = [...items].sort((a, b) => a.created - b.created)[1500]!.created;
      await check(`water AND created:[0 TO ${mid}]`, (it) => has(it, 'water') && it.created <= mid);
      await check(`water OR created:{${mid} TO *}`, (it) => has(it, 'water') || it.created > mid);
      await check('*', inBbox, { bbox: BBOX.join(',') }, ORDERS.slice(0, 2));
      await check('*', () => true, {}, ORDERS.slice(0, 2));
    });

    test('the general path (every condition on search_docs rows) gives the same answers', async () => {
      for (const q of ['"storm surge"', 'water AND flood', 'water -flood', `group:${group}`, 'wat*'])
        for (const [who, viewer] of viewers) {
          const fast = await answer(viewer, { q });
          const general = await answer(viewer, { q }, { path: 'general' });
          assert.deepEqual(general, fast, `${q} as ${who}`);
        }
    });
  });
}
