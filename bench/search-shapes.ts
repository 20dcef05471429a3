/**
 * node bench/search-shapes.ts [sqlite|postgres]   (both when omitted; BENCH_ITEMS, default 100,000)
 *
 * A diagnostic breakdown, not the target benchmark (that is `npm run bench -- http`, search
 * over HTTPS): seeds items once per dialect into a temporary database (PostgreSQL through
 * test/pg-databases.ts), then calls searchItems directly for each query shape, 60 times per
 * viewer (an ordinary user in a few groups, an administrator, anonymous), and prints p50/p99
 * in ms with the total and the path taken, to see which shape is slow and why.
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
import { type Db, openDatabase } from '../packages/server/src/db/database.ts';
import { migrateToLatest } from '../packages/server/src/db/migrate.ts';
import { createPgDatabase } from '../packages/server/test/pg-databases.ts';
import { seedItems } from './fixtures/items.ts';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 100_000);
const RUNS = 60;
const ORG = 'benchorg';

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function run(dialect: 'sqlite' | 'postgres'): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'meridian-shapes-'));
  const pgdb = dialect === 'postgres' ? await createPgDatabase() : undefined;
  const db: Db = openDatabase(pgdb ? { url: pgdb.url } : { home });
  try {
    await migrateToLatest(db);
    const t0 = performance.now();
    const seeded = await seedItems(db, ITEMS);
    console.log(`\n${dialect}: seeded ${ITEMS} items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // An ordinary user in a few groups, and one of those groups.
    const [group, members] = [...seeded.members].find(([, m]) => m.length >= 5)!;
    const username =
      members.find((u) => [...seeded.members.values()].filter((m) => m.includes(u)).length >= 3) ??
      members[1]!;
    const viewers: [string, Viewer][] = [
      ['user', { username, isAdmin: false }],
      ['admin', { username: 'admin', isAdmin: true }],
      ['anon', { username: null, isAdmin: false }],
    ];
    const shapes: [string, SearchParams][] = [
      ['word', { q: 'water' }],
      ['type:"Web Map"', { q: 'type:"Web Map"' }],
      ['word AND type', { q: 'water AND type:"Web Map"' }],
      ['flood AND type:FS', { q: 'flood AND type:"Feature Service"' }],
      ['a OR b', { q: 'flood OR wildfire' }],
      ['a -b', { q: 'water -flood' }],
      ['word by title', { q: 'water', sortField: 'title' }],
      ['word by created', { q: 'water', sortField: 'created', sortOrder: 'asc' }],
      ['word page 5', { q: 'water', start: 41 }],
      ['group:<id>', { q: `group:${group}` }],
      ['phrase', { q: '"storm surge"' }],
      ['title phrase', { q: 'title:"flood zone"' }],
      ['owner:x', { q: `owner:${seeded.owners[3]}` }],
      ['tags:y', { q: 'tags:flood' }],
      ['rare word', { q: 'sediment' }],
      ['word + bbox', { q: 'water', bbox: '-10,30,20,60' }],
      ['* (all)', { q: '*' }],
    ];
    console.log(
      `${'shape'.padEnd(20)} ${viewers.map(([v]) => `${v} p50/p99 (total, path)`.padEnd(34)).join('')}`,
    );
    for (const [name, params] of shapes) {
      const cells: string[] = [];
      for (const [, viewer] of viewers) {
        const how = await searchIds(db.kysely, viewer, ORG, params);
        const times: number[] = [];
        for (let i = 0; i < RUNS + 5; i++) {
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

const which = process.argv[2];
for (const d of ['sqlite', 'postgres'] as const) if (!which || which === d) await run(d);
