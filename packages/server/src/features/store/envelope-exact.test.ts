import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Envelope, EsriGeometry, QueryPlan, SpatialFilter } from '../plan.ts';
import { simplestFilter } from './envelope-exact.ts';
import { SqliteFeatureStore } from './sqlite-store.ts';

const E: Envelope = { xmin: 1, ymin: 2, xmax: 5, ymax: 7 };
const filter = (rings: number[][][], env: Envelope = E): SpatialFilter => ({
  envelope: env,
  rel: 'intersects',
  geometry: { rings },
});
const box = (e: Envelope) => [
  [e.xmin, e.ymin],
  [e.xmin, e.ymax],
  [e.xmax, e.ymax],
  [e.xmax, e.ymin],
  [e.xmin, e.ymin],
];

test('a point layer queried with its box drops the exact test; anything else keeps it', () => {
  assert.equal(simplestFilter('esriGeometryPoint', filter([box(E)])).rel, 'envelope-intersects');
  // Counter-clockwise and with a repeated vertex: the same rectangle.
  const ccw = [
    [1, 2],
    [5, 2],
    [5, 2],
    [5, 7],
    [1, 7],
    [1, 2],
  ];
  assert.equal(simplestFilter('esriGeometryPoint', filter([ccw])).rel, 'envelope-intersects');
  const keeps = (f: SpatialFilter, type: Parameters<typeof simplestFilter>[0] = 'esriGeometryPoint') =>
    assert.equal(simplestFilter(type, f).rel, 'intersects', JSON.stringify(f.geometry));
  // Polygons' envelopes meeting the box do not mean the polygons do.
  keeps(filter([box(E)]), 'esriGeometryPolygon');
  keeps(filter([box(E)]), 'esriGeometryMultipoint');
  // A bow tie over the same corners covers two triangles, not the box.
  keeps(
    filter([
      [
        [1, 2],
        [5, 7],
        [1, 7],
        [5, 2],
        [1, 2],
      ],
    ]),
  );
  // A triangle, a box with a hole, a densified (projected) edge, a box not closed, a walk back.
  keeps(
    filter([
      [
        [1, 2],
        [1, 7],
        [5, 7],
        [1, 2],
      ],
    ]),
  );
  keeps(filter([box(E), box({ xmin: 2, ymin: 3, xmax: 3, ymax: 4 })]));
  keeps(filter([[...box(E).slice(0, 2), [3, 7], ...box(E).slice(2)]]));
  keeps(filter([box(E).slice(0, 4)]));
  keeps(
    filter([
      [
        [1, 2],
        [1, 7],
        [5, 7],
        [1, 7],
        [1, 2],
      ],
    ]),
  );
  const line: EsriGeometry = { paths: [box(E)] };
  keeps({ envelope: E, rel: 'intersects', geometry: line });
  // Already the envelope test: unchanged.
  const env: SpatialFilter = { ...filter([box(E)]), rel: 'envelope-intersects' };
  assert.equal(simplestFilter('esriGeometryPoint', env), env);
});

test('the SQLite store answers a box the same with and without the exact test: edges and corners included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-envelope-exact-'));
  const store = new SqliteFeatureStore(join(dir, 'f.sqlite'));
  try {
    const w = await store.createLayer('s', {
      id: 0,
      name: 'Points',
      geometryType: 'esriGeometryPoint',
      wkid: 4326,
      fields: [],
    });
    const features = [];
    for (let x = 0; x <= 6; x += 0.5)
      for (let y = 1; y <= 8; y += 0.5) features.push({ attributes: {}, geometry: { x, y } });
    await w.append(features);
    await w.finish();
    const plan = (spatial: SpatialFilter): QueryPlan => ({
      mode: 'ids',
      where: { kind: 'true' },
      spatial,
      outFields: [],
      returnGeometry: false,
      orderBy: [],
      offset: 0,
    });
    const ids = async (p: QueryPlan) => {
      const r = await store.query('s', 0, p);
      assert.equal(r.mode, 'ids');
      return r.mode === 'ids' ? r.objectIds : [];
    };
    // A rectangle with a densified edge is the same area, answered through the exact test.
    const exact = await ids(plan(filter([[...box(E).slice(0, 2), [3, 7], ...box(E).slice(2)]])));
    const fast = await ids(plan(filter([box(E)])));
    // (5 - 1) / 0.5 + 1 columns, (7 - 2) / 0.5 + 1 rows: every point on the edges counts.
    assert.equal(exact.length, 9 * 11);
    assert.deepEqual(fast, exact);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
