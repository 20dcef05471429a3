/**
 * npm run bench -- search-shapes [sqlite|postgres] [--smoke]   (both dialects when omitted)
 *
 * Search in-process, shape by shape: seeds items once per dialect into a temporary database
 * (PostgreSQL through test/pg-databases.ts), then calls searchItems directly for each query
 * shape, 60 times per viewer (an ordinary user in a few groups, an administrator, anonymous),
 * and prints p50/p99 in ms with the total and the path taken; beside them, the database
 * engine's own query for the same shape without access filtering (search-engine.ts), the limit
 * to approach. Each shape's total and first page, and the engine query's, are checked first
 * against the answer worked out from the seeded items. Target (issue 7): every shape p99 ≤ 25
 * ms for the ordinary user, on both databases (the HTTPS search mix is `npm run bench -- http`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type SearchParams,
  searchIds,
  searchItems,
} from '../packages/server/src/content/search/search-items.ts';
import type { Viewer } from '../packages/server/src/content/viewer.ts';
import { type Db, openDatabase } from '../packages/server/src/kernel/db/database.ts';
import { migrateToLatest } from '../packages/server/src/kernel/db/migrate.ts';
import { roleMigrations } from '../packages/server/src/roles/compose.ts';
import { portalModules } from '../packages/server/src/roles/portal.ts';
import { createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { expectCase } from './case-failed.ts';
import { ownerName, type SeededItem, seedItems } from './fixtures/items.ts';
import type { BenchOptions } from './options.ts';
import { type EngineShape, freeText as freeTextFts, runEngine } from './search-engine.ts';
import { ExpectedAnswers, freeText, hasPhrase, type OracleViewer, type Visibility } from './search-oracle.ts';

const ORG = 'benchorg';
const SMOKE_ITEMS = 3000;
const OWNER = ownerName(3);
const BBOX = [-10, 30, 20, 60] as const;

const has = (it: SeededItem, phrase: string) => hasPhrase(freeText(it), phrase);
const inBbox = (it: SeededItem) =>
  it.extent !== null &&
  it.extent[0] <= BBOX[2] &&
  it.extent[2] >= BBOX[0] &&
  it.extent[1] <= BBOX[3] &&
  it.extent[3] >= BBOX[1];

/**
 * A shape: its name, its parameters, what it must match, and the database engine's own query for
 * it without access filtering (search-engine.ts). The group of group:<id> is chosen after
 * seeding: that shape collects every shared item, and its answer keeps those of the group.
 */
interface Shape {
  name: string;
  params: (group: string) => SearchParams;
  matches: (it: SeededItem) => boolean;
  engine: (group: string) => EngineShape;
}
const GROUP_SHAPE = 'group:<id>';
const FREE = (words: string) => freeTextFts(`"${words}"`);
const byKey = (fts: string, ts: string): EngineShape => ({ text: { fts, ts }, order: 'modified desc' });
const hex = (s: string) => Buffer.from(s.toLowerCase(), 'utf8').toString('hex');

const SHAPES: Shape[] = [
  {
    name: 'word',
    params: () => ({ q: 'water' }),
    matches: (it) => has(it, 'water'),
    engine: () => byKey(FREE('water'), `'water'`),
  },
  {
    name: 'type:"Web Map"',
    params: () => ({ q: 'type:"Web Map"' }),
    matches: (it) => hasPhrase([it.type], 'web map'),
    engine: () => byKey('pairs : "p·web·map"', `'_p:web map'`),
  },
  {
    name: 'word AND type',
    params: () => ({ q: 'water AND type:"Web Map"' }),
    matches: (it) => has(it, 'water') && hasPhrase([it.type], 'web map'),
    engine: () => byKey(`${FREE('water')} AND pairs : "p·web·map"`, `'water' & '_p:web map'`),
  },
  {
    name: 'flood AND type:FS',
    params: () => ({ q: 'flood AND type:"Feature Service"' }),
    matches: (it) => has(it, 'flood') && hasPhrase([it.type], 'feature service'),
    engine: () => byKey(`${FREE('flood')} AND pairs : "p·feature·service"`, `'flood' & '_p:feature service'`),
  },
  {
    name: 'a OR b',
    params: () => ({ q: 'flood OR wildfire' }),
    matches: (it) => has(it, 'flood') || has(it, 'wildfire'),
    engine: () => byKey(freeTextFts('("flood" OR "wildfire")'), `'flood' | 'wildfire'`),
  },
  {
    name: 'a -b',
    params: () => ({ q: 'water -flood' }),
    matches: (it) => has(it, 'water') && !has(it, 'flood'),
    engine: () => byKey(`${FREE('water')} NOT ${FREE('flood')}`, `'water' & !'flood'`),
  },
  {
    name: 'word by title',
    params: () => ({ q: 'water', sortField: 'title' }),
    matches: (it) => has(it, 'water'),
    engine: () => ({ ...byKey(FREE('water'), `'water'`), order: 'title asc' }),
  },
  {
    name: 'word by created',
    params: () => ({ q: 'water', sortField: 'created', sortOrder: 'asc' }),
    matches: (it) => has(it, 'water'),
    engine: () => ({ ...byKey(FREE('water'), `'water'`), order: 'created asc' }),
  },
  {
    name: 'word page 5',
    params: () => ({ q: 'water', start: 41 }),
    matches: (it) => has(it, 'water'),
    engine: () => ({ ...byKey(FREE('water'), `'water'`), start: 41 }),
  },
  {
    name: GROUP_SHAPE,
    params: (g) => ({ q: `group:${g}` }),
    matches: (it) => it.sharedWith.length > 0,
    engine: (g) => byKey(`acl : "gr${g}"`, `'_gr${g}'`),
  },
  {
    name: 'phrase',
    params: () => ({ q: '"storm surge"' }),
    matches: (it) => has(it, 'storm surge'),
    engine: () => byKey('pairs : "·storm·surge"', `'storm surge'`),
  },
  {
    name: 'title phrase',
    params: () => ({ q: 'title:"springfield water"' }),
    matches: (it) => hasPhrase([it.title], 'springfield water'),
    engine: () => byKey('pairs : "t·springfield·water"', `'_t:springfield water'`),
  },
  {
    name: 'owner:x',
    params: () => ({ q: `owner:${OWNER}` }),
    matches: (it) => it.owner === OWNER,
    engine: () => byKey(`acl : "o${hex(OWNER)}"`, `'_o${hex(OWNER)}'`),
  },
  {
    name: 'tags:y',
    params: () => ({ q: 'tags:flood' }),
    matches: (it) => hasPhrase(it.tags, 'flood'),
    engine: () => byKey('tags : "flood"', `'_k:flood'`),
  },
  {
    name: 'rare word',
    params: () => ({ q: 'sediment' }),
    matches: (it) => has(it, 'sediment'),
    engine: () => byKey(FREE('sediment'), `'sediment'`),
  },
  {
    name: 'word + bbox',
    params: () => ({ q: 'water', bbox: BBOX.join(',') }),
    matches: (it) => has(it, 'water') && inBbox(it),
    engine: () => ({ ...byKey(FREE('water'), `'water'`), bbox: BBOX }),
  },
  {
    name: '* (all)',
    params: () => ({ q: '*' }),
    matches: () => true,
    engine: () => ({ text: null, order: 'modified desc' }),
  },
];

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runDialect(dialect: 'sqlite' | 'postgres', opts: BenchOptions): Promise<void> {
  const items = opts.items(100_000, SMOKE_ITEMS);
  const runs = opts.smoke ? 3 : 60;
  const home = mkdtempSync(join(tmpdir(), 'meridian-shapes-'));
  const pgdb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const db: Db = openDatabase(pgdb ? { url: pgdb.url } : { home });
  try {
    await migrateToLatest(db, roleMigrations(portalModules));
    const expected = new ExpectedAnswers(SHAPES.map((s) => [s.name, s.matches]));
    const t0 = performance.now();
    const seeded = await seedItems(db, items, { onItem: expected.record });
    console.log(`\n${dialect}: seeded ${items} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // An ordinary user in a few groups, and one of those groups.
    const [group, members] = [...seeded.members].find(([, m]) => m.length >= 5)!;
    const username =
      members.find((u) => [...seeded.members.values()].filter((m) => m.includes(u)).length >= 3) ??
      members[1]!;
    const groups = new Set([...seeded.members].filter(([, m]) => m.includes(username)).map(([g]) => g));
    const viewers: [string, Viewer, OracleViewer][] = [
      ['user', { username, isAdmin: false }, { admin: false, username, groups }],
      ['admin', { username: 'admin', isAdmin: true }, { admin: true }],
      ['anon', { username: null, isAdmin: false }, { admin: false, username: null, groups: new Set() }],
    ];
    console.log(
      `${'shape'.padEnd(20)} ${viewers.map(([v]) => `${v} p50/p99 (total, path)`.padEnd(34)).join('')}engine, no access filter p50/p99`,
    );
    const userP99: [string, number][] = [];
    for (const shape of SHAPES) {
      const { name } = shape;
      const params = shape.params(group);
      const keep = name === GROUP_SHAPE ? (v: Visibility) => v.sharedWith.includes(group) : undefined;
      const cells: string[] = [];
      for (const [who, viewer, oracle] of viewers) {
        const what = `${dialect} ${name} as ${who}`;
        const want = expected.total(name, oracle, keep);
        expectCase(
          who !== 'admin' || want > 0,
          what,
          () =>
            'nothing seeded matches this query, so it would time an empty search: fix the query, or seed more items',
        );
        const answer = await searchItems(db.kysely, viewer, ORG, params);
        const ids = answer.results.map((r) => r.id as string);
        const start = params.start ?? 1;
        expectCase(answer.total === want, what, () => `expected total ${want}, got ${answer.total}`);
        expectCase(
          ids.length === Math.max(0, Math.min(10, want - start + 1)) &&
            ids.every((id) => expected.finds(name, oracle, id, keep)),
          what,
          () => `the page holds items the query must not find, or too few: ${ids.join(', ')}`,
        );
        const how = await searchIds(db.kysely, viewer, ORG, params);
        const times: number[] = [];
        for (let i = 0; i < runs + 5; i++) {
          const s = performance.now();
          await searchItems(db.kysely, viewer, ORG, params);
          if (i >= 5) times.push(performance.now() - s);
        }
        times.sort((a, b) => a - b);
        if (who === 'user') userP99.push([name, pct(times, 99)]);
        cells.push(
          `${pct(times, 50).toFixed(1)}/${pct(times, 99).toFixed(1)} (${how.total}, ${how.path}/${how.page})`.padEnd(
            34,
          ),
        );
      }
      // The engine's own query: it must find what the administrator finds.
      const engine = shape.engine(group);
      const ref = await runEngine(db.kysely, dialect, engine);
      const all = expected.total(name, { admin: true }, keep);
      expectCase(
        ref.total === all && ref.ids.every((id) => expected.finds(name, { admin: true }, id, keep)),
        `${dialect} ${name}, the engine's own query`,
        () => `expected total ${all}, got ${ref.total} (${ref.ids.join(', ')})`,
      );
      const times: number[] = [];
      for (let i = 0; i < runs + 5; i++) {
        const s = performance.now();
        await runEngine(db.kysely, dialect, engine);
        if (i >= 5) times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      cells.push(`${pct(times, 50).toFixed(1)}/${pct(times, 99).toFixed(1)}`);
      console.log(`${name.padEnd(20)} ${cells.join('')}`);
    }
    const missed = userP99.filter(([, p99]) => p99 > 25);
    console.log(
      `${dialect}: ordinary user, p99 ≤ 25 ms: ${userP99.length - missed.length} of ${userP99.length} shapes` +
        (missed.length ? ` (not: ${missed.map(([n, p]) => `${n} ${p.toFixed(1)}`).join(', ')})` : ''),
    );
  } finally {
    await db.close();
    await pgdb?.drop();
    rmSync(home, { recursive: true, force: true });
  }
}

export async function run(opts: BenchOptions, args: string[]): Promise<void> {
  const which = args[0];
  if (which && which !== 'sqlite' && which !== 'postgres')
    throw new Error(`search-shapes takes sqlite or postgres, not '${which}'`);
  if (opts.smoke) console.log('(SMOKE: tiny data, figures mean nothing)');
  for (const d of ['sqlite', 'postgres'] as const) if (!which || which === d) await runDialect(d, opts);
}
