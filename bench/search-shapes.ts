/**
 * npm run bench -- search-shapes [sqlite|postgres] [--smoke]   (both dialects when omitted)
 *
 * A diagnostic breakdown, not the target benchmark (that is `npm run bench -- http`, search
 * over HTTPS): seeds items once per dialect into a temporary database (PostgreSQL through
 * test/pg-databases.ts), then calls searchItems directly for each query shape, 60 times per
 * viewer (an ordinary user in a few groups, an administrator, anonymous), and prints p50/p99
 * in ms with the total and the path taken, to see which shape is slow and why. Each shape's
 * total and first page are checked first against the answer worked out from the seeded items.
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
 * A shape: its name, its parameters and what it must match. The group of group:<id> is chosen
 * after seeding: that shape collects every shared item, and its answer keeps those of the group.
 */
type Shape = [name: string, params: (group: string) => SearchParams, matches: (it: SeededItem) => boolean];
const GROUP_SHAPE = 'group:<id>';

const SHAPES: Shape[] = [
  ['word', () => ({ q: 'water' }), (it) => has(it, 'water')],
  ['type:"Web Map"', () => ({ q: 'type:"Web Map"' }), (it) => hasPhrase([it.type], 'web map')],
  [
    'word AND type',
    () => ({ q: 'water AND type:"Web Map"' }),
    (it) => has(it, 'water') && hasPhrase([it.type], 'web map'),
  ],
  [
    'flood AND type:FS',
    () => ({ q: 'flood AND type:"Feature Service"' }),
    (it) => has(it, 'flood') && hasPhrase([it.type], 'feature service'),
  ],
  ['a OR b', () => ({ q: 'flood OR wildfire' }), (it) => has(it, 'flood') || has(it, 'wildfire')],
  ['a -b', () => ({ q: 'water -flood' }), (it) => has(it, 'water') && !has(it, 'flood')],
  ['word by title', () => ({ q: 'water', sortField: 'title' }), (it) => has(it, 'water')],
  [
    'word by created',
    () => ({ q: 'water', sortField: 'created', sortOrder: 'asc' }),
    (it) => has(it, 'water'),
  ],
  ['word page 5', () => ({ q: 'water', start: 41 }), (it) => has(it, 'water')],
  [GROUP_SHAPE, (g) => ({ q: `group:${g}` }), (it) => it.sharedWith.length > 0],
  ['phrase', () => ({ q: '"storm surge"' }), (it) => has(it, 'storm surge')],
  [
    'title phrase',
    () => ({ q: 'title:"springfield water"' }),
    (it) => hasPhrase([it.title], 'springfield water'),
  ],
  ['owner:x', () => ({ q: `owner:${OWNER}` }), (it) => it.owner === OWNER],
  ['tags:y', () => ({ q: 'tags:flood' }), (it) => hasPhrase(it.tags, 'flood')],
  ['rare word', () => ({ q: 'sediment' }), (it) => has(it, 'sediment')],
  ['word + bbox', () => ({ q: 'water', bbox: BBOX.join(',') }), (it) => has(it, 'water') && inBbox(it)],
  ['* (all)', () => ({ q: '*' }), () => true],
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
    const expected = new ExpectedAnswers(SHAPES.map(([name, , matches]) => [name, matches]));
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
      `${'shape'.padEnd(20)} ${viewers.map(([v]) => `${v} p50/p99 (total, path)`.padEnd(34)).join('')}`,
    );
    for (const [name, paramsOf] of SHAPES) {
      const params = paramsOf(group);
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
        cells.push(
          `${pct(times, 50).toFixed(1)}/${pct(times, 99).toFixed(1)} (${how.total}, ${how.path}/${how.page})`.padEnd(
            34,
          ),
        );
      }
      console.log(`${name.padEnd(20)} ${cells.join('')}`);
    }
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
