import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Expr, FeatureStore, FieldDef, QueryPlan, QueryResult, StoredFeature } from '../plan.ts';
import { openFeatureStore } from './open-store.ts';

/**
 * The feature store conformance suite: the same tests on the SQLite store and on PostGIS
 * (MERIDIAN_TEST_PG_URL, a fresh database per run; no skip: a missing PostGIS fails).
 */
type Opened = { store: FeatureStore; cleanup(): Promise<void> };

const drivers: Record<string, () => Promise<Opened>> = {
  sqlite: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'meridian-features-'));
    const store = await openFeatureStore({ home: dir });
    return {
      store,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  postgis: async () => {
    const pg = await createPgDatabase();
    const store = await openFeatureStore({ home: '/nonexistent', pgUrl: pg.url, pgSchema: 'features_test' });
    return {
      store,
      async cleanup() {
        await store.close();
        await pg.drop();
      },
    };
  },
};

const FIELDS: FieldDef[] = [
  { name: 'name', type: 'esriFieldTypeString', alias: 'Name', length: 20, nullable: true },
  { name: 'pop', type: 'esriFieldTypeInteger', alias: 'Population', nullable: true },
  { name: 'ratio', type: 'esriFieldTypeDouble', alias: 'Ratio', nullable: true },
  { name: 'founded', type: 'esriFieldTypeDate', alias: 'Founded', nullable: true },
  { name: 'kind', type: 'esriFieldTypeString', alias: 'Kind', length: 5, nullable: true },
];

/** 10 × 10 grid of points at (i, j); a few with nulls and awkward text. */
function gridFeatures() {
  const out = [];
  for (let i = 0; i < 10; i++) {
    for (let j = 0; j < 10; j++) {
      const n = i * 10 + j;
      out.push({
        attributes: {
          name: n === 7 ? "O'Brien; DROP TABLE x --" : n === 8 ? '100%_done' : n === 9 ? null : `city${n}`,
          pop: n === 5 ? null : n * 10,
          ratio: n / 4,
          founded: Date.UTC(2000 + (n % 20), 0, 1),
          kind: n % 3 === 0 ? 'big' : n % 3 === 1 ? 'Small' : 'mid',
        },
        geometry: n === 99 ? null : { x: i, y: j },
      });
    }
  }
  return out;
}

const plan = (p: Partial<QueryPlan>): QueryPlan => ({
  mode: 'features',
  where: { kind: 'true' },
  outFields: ['OBJECTID'],
  returnGeometry: false,
  orderBy: [{ field: 'OBJECTID', dir: 'ASC' }],
  offset: 0,
  limit: 1000,
  ...p,
});

function ids(r: QueryResult): number[] {
  if (r.mode === 'ids') return r.objectIds;
  if (r.mode === 'features') return r.features.map((f: StoredFeature) => f.attributes.OBJECTID as number);
  throw new Error(`no ids in ${r.mode}`);
}

const f = (field: string) => ({ field });
const v = (value: string | number | null) => ({ value });

for (const [kind, open] of Object.entries(drivers)) {
  describe(`feature store conformance on ${kind}`, () => {
    let o: Opened;
    let store: FeatureStore;
    const where = async (e: Expr) =>
      ids(await store.query('grid', 0, plan({ mode: 'ids', where: e, limit: undefined })));

    before(async () => {
      o = await open();
      store = o.store;
      const w = await store.createLayer('grid', {
        id: 0,
        name: 'Grid',
        geometryType: 'esriGeometryPoint',
        wkid: 4326,
        fields: FIELDS,
      });
      const all = gridFeatures();
      await w.append(all.slice(0, 40));
      await w.append(all.slice(40));
      const def = await w.finish();
      assert.equal(def.featureCount, 100);
      assert.deepEqual(def.extent, { xmin: 0, ymin: 0, xmax: 9, ymax: 9 });
      assert.equal(def.objectIdField, 'OBJECTID');
      assert.equal(def.fields[0]!.type, 'esriFieldTypeOID');
    });
    after(async () => {
      await o.cleanup();
    });

    test('object ids start at 1 in arrival order; features carry attributes and geometry', async () => {
      const r = await store.query(
        'grid',
        0,
        plan({ outFields: ['name', 'pop', 'founded'], returnGeometry: true, limit: 3 }),
      );
      assert.equal(r.mode, 'features');
      if (r.mode !== 'features') return;
      assert.deepEqual(r.features[0], {
        attributes: { OBJECTID: 1, name: 'city0', pop: 0, founded: Date.UTC(2000, 0, 1) },
        geometry: { x: 0, y: 0 },
      });
      assert.deepEqual(ids(r), [1, 2, 3]);
      assert.equal(r.exceededTransferLimit, true);
      const last = await store.query('grid', 0, plan({ objectIds: [100], returnGeometry: true }));
      assert.ok(last.mode === 'features' && last.features[0]!.geometry === null);
    });

    test('comparisons, AND/OR/NOT, IN, BETWEEN, IS NULL', async () => {
      assert.deepEqual(await where({ kind: 'cmp', op: '=', left: f('pop'), right: v(30) }), [4]);
      assert.deepEqual(
        await where({ kind: 'cmp', op: '>=', left: f('pop'), right: v('970') }),
        [98, 99, 100],
      );
      assert.deepEqual(
        await where({ kind: 'cmp', op: '<', left: v(15), right: f('pop') }),
        await where({ kind: 'cmp', op: '>', left: f('pop'), right: v(15) }),
      );
      assert.deepEqual(
        await where({
          kind: 'and',
          items: [
            { kind: 'cmp', op: '<', left: f('pop'), right: v(50) },
            { kind: 'not', expr: { kind: 'cmp', op: '=', left: f('kind'), right: v('big') } },
          ],
        }),
        [2, 3, 5],
      );
      assert.deepEqual(
        await where({
          kind: 'or',
          items: [
            { kind: 'cmp', op: '=', left: f('OBJECTID'), right: v(3) },
            { kind: 'cmp', op: '=', left: f('OBJECTID'), right: v(50) },
          ],
        }),
        [3, 50],
      );
      assert.deepEqual(
        await where({ kind: 'in', left: f('pop'), values: [10, 20, null], negate: false }),
        [2, 3],
      );
      assert.equal(
        (await where({ kind: 'in', left: f('kind'), values: ['big', 'mid'], negate: true })).length,
        33,
      );
      assert.deepEqual(
        await where({ kind: 'between', left: f('ratio'), low: 1, high: 1.5, negate: false }),
        [5, 6, 7],
      );
      assert.equal(
        (await where({ kind: 'between', left: f('ratio'), low: 1, high: 1.5, negate: true })).length,
        97,
      );
      assert.deepEqual(await where({ kind: 'isnull', left: f('pop'), negate: false }), [6]);
      assert.equal((await where({ kind: 'isnull', left: f('name'), negate: true })).length, 99);
      assert.deepEqual(await where({ kind: 'false' }), []);
      assert.equal((await where({ kind: 'in', left: f('pop'), values: [], negate: false })).length, 0);
    });

    test('LIKE with and without escape, UPPER/LOWER, case-sensitive text', async () => {
      assert.deepEqual(
        await where({ kind: 'like', left: f('name'), pattern: 'city9_', negate: false }),
        [91, 92, 93, 94, 95, 96, 97, 98, 99, 100],
      );
      assert.deepEqual(
        await where({ kind: 'like', left: f('name'), pattern: '100!%!_%', escape: '!', negate: false }),
        [9],
      );
      assert.deepEqual(await where({ kind: 'like', left: f('name'), pattern: '100\\%%', negate: false }), []);
      assert.deepEqual(await where({ kind: 'like', left: f('name'), pattern: 'CITY1%', negate: false }), []);
      assert.equal(
        (
          await where({
            kind: 'like',
            left: { fn: 'UPPER', arg: f('name') },
            pattern: 'CITY1%',
            negate: false,
          })
        ).length,
        11,
      );
      assert.equal(
        (await where({ kind: 'cmp', op: '=', left: { fn: 'LOWER', arg: f('kind') }, right: v('small') }))
          .length,
        33,
      );
      assert.equal((await where({ kind: 'cmp', op: '=', left: f('kind'), right: v('small') })).length, 0);
    });

    test('date literals and ISO date strings against date fields', async () => {
      const d2018 = Date.UTC(2018, 0, 1);
      const a = await where({ kind: 'cmp', op: '>=', left: f('founded'), right: { date: d2018 } });
      assert.deepEqual(a, await where({ kind: 'cmp', op: '>=', left: f('founded'), right: v('2018-01-01') }));
      assert.equal(a.length, 10);
      await assert.rejects(
        () => where({ kind: 'cmp', op: '=', left: f('pop'), right: v('ten') }),
        (e: unknown) => isMeridianError(e) && e.code === 'features.invalid_query',
      );
    });

    test('injection-looking values stay values; unknown fields are refused', async () => {
      assert.deepEqual(
        await where({ kind: 'cmp', op: '=', left: f('name'), right: v("O'Brien; DROP TABLE x --") }),
        [8],
      );
      assert.deepEqual(await where({ kind: 'cmp', op: '=', left: f('name'), right: v("x' OR '1'='1") }), []);
      await assert.rejects(
        () => where({ kind: 'cmp', op: '=', left: f('name" OR 1=1 --'), right: v(1) }),
        (e: unknown) => isMeridianError(e) && e.code === 'features.invalid_query',
      );
      const count = await store.query('grid', 0, plan({ mode: 'count' }));
      assert.deepEqual(count, { mode: 'count', count: 100 });
    });

    test('envelope and intersects filters', async () => {
      const env = { xmin: 1.5, ymin: 1.5, xmax: 3, ymax: 2 };
      const r = await store.query(
        'grid',
        0,
        plan({ spatial: { envelope: env, rel: 'envelope-intersects', geometry: { rings: [] } } }),
      );
      // (2,2), (3,2): ids i*10+j+1.
      assert.deepEqual(ids(r), [23, 33]);
      const tri = {
        rings: [
          [
            [0, 0],
            [0, 4],
            [4, 0],
            [0, 0],
          ],
        ],
      };
      const t = await store.query(
        'grid',
        0,
        plan({
          mode: 'ids',
          limit: undefined,
          spatial: { envelope: { xmin: 0, ymin: 0, xmax: 4, ymax: 4 }, rel: 'intersects', geometry: tri },
        }),
      );
      // Points with i + j <= 4 (the hypotenuse counts).
      assert.equal(ids(t).length, 15);
      const holed = {
        rings: [
          [
            [-1, -1],
            [-1, 10],
            [10, 10],
            [10, -1],
            [-1, -1],
          ],
          [
            [0.5, 0.5],
            [8.5, 0.5],
            [8.5, 8.5],
            [0.5, 8.5],
            [0.5, 0.5],
          ],
        ],
      };
      const h = await store.query(
        'grid',
        0,
        plan({
          mode: 'count',
          spatial: {
            envelope: { xmin: -1, ymin: -1, xmax: 10, ymax: 10 },
            rel: 'intersects',
            geometry: holed,
          },
        }),
      );
      // The ring of points on the border (x or y in {0, 9}) minus the null-geometry 99.
      assert.deepEqual(h, { mode: 'count', count: 35 });
      const line = {
        paths: [
          [
            [0, 0],
            [9, 9],
          ],
        ],
      };
      const l = await store.query(
        'grid',
        0,
        plan({
          mode: 'count',
          spatial: { envelope: { xmin: 0, ymin: 0, xmax: 9, ymax: 9 }, rel: 'intersects', geometry: line },
        }),
      );
      assert.deepEqual(l, { mode: 'count', count: 9 });
    });

    test('objectIds, ordering and stable paging', async () => {
      const r = await store.query(
        'grid',
        0,
        plan({ mode: 'ids', objectIds: [50, 3, 77, 1000], limit: undefined }),
      );
      assert.deepEqual(ids(r), [3, 50, 77]);
      const order = [
        { field: 'kind', dir: 'DESC' as const },
        { field: 'OBJECTID', dir: 'ASC' as const },
      ];
      const whole = ids(
        await store.query('grid', 0, plan({ mode: 'ids', orderBy: order, limit: undefined })),
      );
      const pages: number[] = [];
      for (let offset = 0; offset < 100; offset += 30) {
        pages.push(...ids(await store.query('grid', 0, plan({ orderBy: order, offset, limit: 30 }))));
      }
      assert.deepEqual(pages, whole);
      // Byte order: "mid" > "big" > "Small".
      assert.deepEqual(whole.slice(0, 2), [3, 6]);
      const nullsFirst = ids(
        await store.query(
          'grid',
          0,
          plan({
            orderBy: [
              { field: 'pop', dir: 'ASC' },
              { field: 'OBJECTID', dir: 'ASC' },
            ],
            limit: 2,
          }),
        ),
      );
      assert.deepEqual(nullsFirst, [6, 1]);
      const nullsLast = ids(
        await store.query(
          'grid',
          0,
          plan({
            mode: 'ids',
            orderBy: [
              { field: 'name', dir: 'DESC' },
              { field: 'OBJECTID', dir: 'ASC' },
            ],
            limit: undefined,
          }),
        ),
      );
      assert.equal(nullsLast.at(-1), 10);
    });

    test('count, extent, statistics with groupBy and paging', async () => {
      assert.deepEqual(
        await store.query(
          'grid',
          0,
          plan({ mode: 'extent', where: { kind: 'cmp', op: '<', left: f('OBJECTID'), right: v(25) } }),
        ),
        {
          mode: 'extent',
          count: 24,
          extent: { xmin: 0, ymin: 0, xmax: 2, ymax: 9 },
        },
      );
      assert.deepEqual(await store.query('grid', 0, plan({ mode: 'extent', where: { kind: 'false' } })), {
        mode: 'extent',
        count: 0,
        extent: null,
      });
      const s = await store.query(
        'grid',
        0,
        plan({
          mode: 'stats',
          groupBy: ['kind'],
          orderBy: [
            { field: 'n', dir: 'DESC' },
            { field: 'OBJECTID', dir: 'ASC' },
          ],
          statistics: [
            { type: 'count', field: '*', outName: 'n' },
            { type: 'count', field: 'pop', outName: 'npop' },
            { type: 'sum', field: 'pop', outName: 'total' },
            { type: 'min', field: 'name', outName: 'first' },
            { type: 'max', field: 'ratio', outName: 'top' },
            { type: 'avg', field: 'ratio', outName: 'mean' },
            { type: 'var', field: 'ratio', outName: 'var' },
            { type: 'stddev', field: 'ratio', outName: 'sd' },
          ],
        }),
      );
      assert.equal(s.mode, 'stats');
      if (s.mode !== 'stats') return;
      assert.deepEqual(
        s.rows.map((r) => [r.kind, r.n, r.npop]),
        [
          ['big', 34, 34],
          ['Small', 33, 33],
          ['mid', 33, 32],
        ],
      );
      const big = s.rows[0]!;
      // ratio = n/4 for n = 0, 3, …, 99.
      const xs = Array.from({ length: 34 }, (_x, k) => (3 * k) / 4);
      const mean = xs.reduce((a, b) => a + b) / 34;
      const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / 33;
      assert.equal(big.total, xs.reduce((a, b) => a + b) * 40);
      assert.equal(big.first, 'city0');
      assert.equal(big.top, 24.75);
      assert.ok(Math.abs((big.mean as number) - mean) < 1e-9);
      assert.ok(Math.abs((big.var as number) - variance) < 1e-9);
      assert.ok(Math.abs((big.sd as number) - Math.sqrt(variance)) < 1e-9);
      const paged = await store.query(
        'grid',
        0,
        plan({
          mode: 'stats',
          groupBy: ['kind'],
          orderBy: [],
          statistics: [{ type: 'count', field: '*', outName: 'n' }],
          offset: 1,
          limit: 1,
        }),
      );
      assert.deepEqual(paged, { mode: 'stats', rows: [{ kind: 'big', n: 34 }], exceededTransferLimit: true });
      await assert.rejects(
        () =>
          store.query(
            'grid',
            0,
            plan({ mode: 'stats', statistics: [{ type: 'sum', field: 'name', outName: 's' }] }),
          ),
        (e: unknown) => isMeridianError(e) && e.code === 'features.invalid_query',
      );
    });

    test('a table layer, polygons, abort, dropService', async () => {
      const t = await store.createLayer('svc2', {
        id: 1,
        name: 'T',
        geometryType: null,
        wkid: 4326,
        fields: [FIELDS[0]!],
      });
      await t.append([
        { attributes: { name: 'a' }, geometry: null },
        { attributes: { name: 'b' }, geometry: null },
      ]);
      const tdef = await t.finish();
      assert.equal(tdef.extent, null);
      assert.deepEqual(await store.query('svc2', 1, plan({ mode: 'extent' })), {
        mode: 'extent',
        count: 2,
        extent: null,
      });
      const p = await store.createLayer('svc2', {
        id: 0,
        name: 'P',
        geometryType: 'esriGeometryPolygon',
        wkid: 3857,
        fields: [],
      });
      const donut = {
        rings: [
          [
            [0, 0],
            [0, 10],
            [10, 10],
            [10, 0],
            [0, 0],
          ],
          [
            [2, 2],
            [8, 2],
            [8, 8],
            [2, 8],
            [2, 2],
          ],
        ],
      };
      await p.append([{ attributes: {}, geometry: donut }]);
      await p.finish();
      const inHole = await store.query(
        'svc2',
        0,
        plan({
          mode: 'count',
          spatial: {
            envelope: { xmin: 5, ymin: 5, xmax: 5, ymax: 5 },
            rel: 'intersects',
            geometry: { x: 5, y: 5 },
          },
        }),
      );
      assert.deepEqual(inHole, { mode: 'count', count: 0 });
      const onRing = await store.query(
        'svc2',
        0,
        plan({
          returnGeometry: true,
          spatial: {
            envelope: { xmin: 1, ymin: 1, xmax: 1, ymax: 1 },
            rel: 'intersects',
            geometry: { x: 1, y: 1 },
          },
        }),
      );
      assert.ok(onRing.mode === 'features');
      if (onRing.mode === 'features') assert.deepEqual(onRing.features[0]!.geometry, donut);
      assert.deepEqual(
        (await store.layers('svc2')).map((l) => l.name),
        ['P', 'T'],
      );
      await assert.rejects(
        () => store.createLayer('svc2', { id: 0, name: 'again', geometryType: null, wkid: 4326, fields: [] }),
        (e: unknown) => isMeridianError(e) && e.code === 'features.layer_exists',
      );

      const a = await store.createLayer('svc3', {
        id: 0,
        name: 'A',
        geometryType: 'esriGeometryPoint',
        wkid: 4326,
        fields: [],
      });
      await a.append([{ attributes: {}, geometry: { x: 1, y: 1 } }]);
      await assert.rejects(() => a.append([{ attributes: {}, geometry: { x: Number.NaN, y: 1 } }]));
      await a.abort();
      assert.deepEqual(await store.layers('svc3'), []);
      await assert.rejects(
        () => store.query('svc3', 0, plan({ mode: 'count' })),
        (e: unknown) => isMeridianError(e) && e.code === 'features.layer_not_found',
      );
      const again = await store.createLayer('svc3', {
        id: 0,
        name: 'A',
        geometryType: 'esriGeometryPoint',
        wkid: 4326,
        fields: [],
      });
      await again.append([{ attributes: {}, geometry: { x: 1, y: 1 } }]);
      assert.equal((await again.finish()).featureCount, 1);

      await store.dropService('svc2');
      await store.dropService('svc2');
      assert.deepEqual(await store.layers('svc2'), []);
      assert.equal((await store.layers('grid')).length, 1);
    });
  });
}
