import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, test } from 'node:test';
import type { Envelope, QueryPlan, QueryResult } from '../plan.ts';
import { openFeatureStore } from './open-store.ts';
import { zorderKey, zorderScale, zorderSql } from './zorder.ts';

/**
 * The SQLite store's Z-order layout: the key SQLite computes is the TypeScript one and
 * interleaves the cells' bits; a finished layer's rows lie in key order with their object ids
 * unchanged, a box's rows sit together; abort and the sweep leave no table behind; and a layer
 * written before the Z-order rewrite (object id = rowid) still answers every kind of query.
 */
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function home(): string {
  const d = mkdtempSync(join(tmpdir(), 'meridian-zorder-'));
  dirs.push(d);
  return d;
}

/** A seeded generator of numbers in [0, 1) (a linear congruential one: enough to shuffle). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const plan = (p: Partial<QueryPlan>): QueryPlan => ({
  mode: 'features',
  where: { kind: 'true' },
  outFields: ['n'],
  returnGeometry: true,
  orderBy: [{ field: 'OBJECTID', dir: 'ASC' }],
  offset: 0,
  limit: 1000,
  ...p,
});

const box = (e: Envelope): QueryPlan['spatial'] => ({
  envelope: e,
  rel: 'envelope-intersects',
  geometry: { rings: [] },
});

function oids(r: QueryResult): number[] {
  assert.ok(r.mode === 'features' || r.mode === 'ids');
  return r.mode === 'ids' ? r.objectIds : r.features.map((f) => f.attributes.OBJECTID as number);
}

function tableNames(dir: string): string[] {
  const db = new DatabaseSync(join(dir, 'features.sqlite'));
  try {
    return db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB '[fwr][0-9]*' AND name NOT GLOB '*_*' ORDER BY name`,
      )
      .all()
      .map((r) => String(r.name));
  } finally {
    db.close();
  }
}

describe('Z-order keys', () => {
  test('interleave the cells: x on the even bits, y on the odd', () => {
    const e = { xmin: 0, ymin: 0, xmax: 65535, ymax: 65535 };
    assert.deepEqual(
      [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
        [2, 0],
        [3, 3],
        [65535, 0],
        [65535, 65535],
      ].map(([x, y]) => zorderKey(x!, y!, e)),
      [0, 1, 2, 3, 4, 15, 0x55555555, 0xffffffff],
    );
    // An axis of no width has one cell.
    assert.equal(zorderKey(5, 7, { xmin: 5, ymin: 0, xmax: 5, ymax: 65535 }), 2 * 0x15);
  });

  test("SQLite's key is the TypeScript one", () => {
    const db = new DatabaseSync(':memory:');
    const rand = random(3);
    const e = { xmin: -12.5, ymin: 40.25, xmax: 31.75, ymax: 71.5 };
    const s = zorderScale(e);
    const key = db.prepare(`SELECT ${zorderSql('?5', '?6', ['?1', '?2', '?3', '?4'])} AS k`);
    for (let i = 0; i < 2000; i++) {
      const x = i === 0 ? e.xmax : e.xmin + rand() * (e.xmax - e.xmin);
      const y = i === 0 ? e.ymax : e.ymin + rand() * (e.ymax - e.ymin);
      assert.equal(key.get(e.xmin, e.ymin, s.x, s.y, x, y)!.k, zorderKey(x, y, e), `(${x}, ${y})`);
    }
    assert.equal(key.get(e.xmin, e.ymin, s.x, s.y, null, 1)!.k, null);
    db.close();
  });
});

describe('a layer written in Z-order', () => {
  const N = 20_000;
  const dir = home();
  const rand = random(11);
  const points = Array.from({ length: N }, () => ({ x: rand() * 360 - 180, y: rand() * 180 - 90 }));

  test('rows lie in key order, object ids unchanged, a box reads rows that sit together', async () => {
    const store = await openFeatureStore({ home: dir });
    const w = await store.createLayer('pts', {
      id: 0,
      name: 'Points',
      geometryType: 'esriGeometryPoint',
      wkid: 4326,
      fields: [{ name: 'n', type: 'esriFieldTypeInteger', alias: 'n', nullable: true }],
    });
    for (let b = 0; b < N; b += 3000) {
      await w.append(
        points.slice(b, b + 3000).map((p, i) => ({ attributes: { n: b + i }, geometry: i === 7 ? null : p })),
      );
    }
    const def = await w.finish();
    assert.deepEqual(tableNames(dir), ['f1', 'r1']);

    const db = new DatabaseSync(join(dir, 'features.sqlite'));
    const rows = db.prepare('SELECT rowid, oid, minx, miny, maxx, maxy FROM f1 ORDER BY rowid').all();
    const rowidOf = new Map(rows.map((r) => [r.oid as number, r.rowid as number]));
    db.close();
    assert.equal(rows.length, N);
    let last = -1;
    for (const r of rows) {
      if (r.minx === null) {
        assert.equal(last, -1, 'features without geometry come first');
        continue;
      }
      const k = zorderKey(r.minx as number, r.miny as number, def.extent!);
      assert.ok(k >= last, `row ${r.rowid} (oid ${r.oid}) is out of Z-order`);
      last = k;
    }

    // Object ids as they arrived: feature k is the k-th point.
    const some = [1, 2, 8, 4321, N];
    const r = await store.query('pts', 0, plan({ objectIds: some }));
    assert.ok(r.mode === 'features');
    assert.deepEqual(
      r.features.map((f) => f.attributes),
      some.map((k) => ({ OBJECTID: k, n: k - 1 })),
    );
    assert.deepEqual(r.features[2]!.geometry, null);
    assert.deepEqual(r.features[3]!.geometry, points[4320]);

    // A box: the right features, whose rows form a few runs (arrival order: one run each).
    const e = { xmin: 10, ymin: 10, xmax: 40, ymax: 25 };
    const inBox = points
      .map((p, i) => ({ p, oid: i + 1 }))
      .filter(
        ({ p, oid }) =>
          (oid - 1) % 3000 !== 7 && p.x >= e.xmin && p.x <= e.xmax && p.y >= e.ymin && p.y <= e.ymax,
      )
      .map(({ oid }) => oid);
    const got = oids(await store.query('pts', 0, plan({ spatial: box(e) })));
    assert.deepEqual(got, inBox);
    const rowids = got.map((k) => rowidOf.get(k)!).sort((a, b) => a - b);
    const runs = rowids.filter((id, i) => i === 0 || id !== rowids[i - 1]! + 1).length;
    assert.ok(inBox.length > 100 && runs < inBox.length / 4, `${runs} runs for ${inBox.length} rows`);

    // Paging in object-id order, with and without a where clause.
    assert.deepEqual(
      oids(await store.query('pts', 0, plan({ offset: 500, limit: 3 }))).slice(0, 3),
      [501, 502, 503],
    );
    const filtered = plan({
      mode: 'ids',
      where: { kind: 'cmp', op: '>=', left: { field: 'n' }, right: { value: N - 5 } },
      orderBy: [{ field: 'OBJECTID', dir: 'DESC' }],
      limit: undefined,
    });
    assert.deepEqual(oids(await store.query('pts', 0, filtered)), [N, N - 1, N - 2, N - 3, N - 4]);
    await store.close();
  });

  test('abort and the sweep leave no table; a dropped layer cannot finish', async () => {
    const d = home();
    const store = await openFeatureStore({ home: d });
    const layer = { id: 0, name: 'A', geometryType: 'esriGeometryPoint' as const, wkid: 4326, fields: [] };
    const a = await store.createLayer('a', layer);
    await a.append([{ attributes: {}, geometry: { x: 1, y: 1 } }]);
    assert.deepEqual(tableNames(d), ['r1', 'w1']);
    await a.abort();
    assert.deepEqual(tableNames(d), []);

    const other = await openFeatureStore({ home: d });
    const b = await store.createLayer('b', layer);
    await b.append([{ attributes: {}, geometry: { x: 1, y: 1 } }]);
    assert.deepEqual(await other.sweepAbandoned({ now: Date.now() + 365 * 86_400_000 }), [
      { serviceKey: 'b', layerId: 0 },
    ]);
    assert.deepEqual(tableNames(d), []);
    await assert.rejects(b.finish(), /dropped/);
    await b.abort();
    assert.deepEqual(tableNames(d), []);
    await other.close();
    await store.close();
  });
});

describe('a layer written before the Z-order rewrite', () => {
  test('answers boxes, object ids, where clauses and pages', async () => {
    const dir = home();
    // The file as the store wrote it then: the object id is the rowid, the R*Tree's id the oid.
    const db = new DatabaseSync(join(dir, 'features.sqlite'));
    const def = {
      id: 0,
      name: 'Old',
      geometryType: 'esriGeometryPoint',
      wkid: 4326,
      objectIdField: 'OBJECTID',
      fields: [
        { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID', nullable: false },
        { name: 'n', type: 'esriFieldTypeInteger', alias: 'n', nullable: true },
      ],
      extent: { xmin: 0, ymin: 0, xmax: 99, ymax: 99 },
      featureCount: 10_000,
    };
    db.exec(`CREATE TABLE layers (tbl INTEGER PRIMARY KEY AUTOINCREMENT, service_key TEXT NOT NULL,
        layer_id INTEGER NOT NULL, state TEXT NOT NULL, def TEXT NOT NULL, UNIQUE (service_key, layer_id));
      ALTER TABLE layers ADD COLUMN writer TEXT; ALTER TABLE layers ADD COLUMN heartbeat INTEGER;
      CREATE TABLE f1 (oid INTEGER PRIMARY KEY, minx REAL, miny REAL, maxx REAL, maxy REAL, g BLOB, c1 INTEGER);
      CREATE VIRTUAL TABLE r1 USING rtree(id, minx, maxx, miny, maxy);`);
    db.prepare(`INSERT INTO layers (service_key, layer_id, state, def) VALUES ('old', 0, 'ready', ?)`).run(
      JSON.stringify(def),
    );
    db.exec(`WITH RECURSIVE i(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM i WHERE k < 10000)
      INSERT INTO f1 SELECT k, (k - 1) % 100, (k - 1) / 100, (k - 1) % 100, (k - 1) / 100, NULL, k - 1 FROM i;
      INSERT INTO r1 SELECT oid, minx, maxx, miny, maxy FROM f1;`);
    db.close();

    const store = await openFeatureStore({ home: dir });
    const at = (x: number, y: number) => y * 100 + x + 1;
    const inBox = await store.query(
      'old',
      0,
      plan({ spatial: box({ xmin: 10, ymin: 20, xmax: 11, ymax: 21 }) }),
    );
    assert.deepEqual(oids(inBox), [at(10, 20), at(11, 20), at(10, 21), at(11, 21)]);
    assert.ok(inBox.mode === 'features');
    assert.deepEqual(inBox.features[0], {
      attributes: { OBJECTID: at(10, 20), n: at(10, 20) - 1 },
      geometry: { x: 10, y: 20 },
    });
    const byIds = await store.query(
      'old',
      0,
      plan({ objectIds: [5, 77], spatial: box({ xmin: 0, ymin: 0, xmax: 99, ymax: 99 }) }),
    );
    assert.deepEqual(oids(byIds), [5, 77]);
    const where = plan({
      where: { kind: 'cmp', op: '<', left: { field: 'n' }, right: { value: 3 } },
      orderBy: [{ field: 'OBJECTID', dir: 'DESC' }],
    });
    assert.deepEqual(oids(await store.query('old', 0, where)), [3, 2, 1]);
    assert.deepEqual(oids(await store.query('old', 0, plan({ offset: 9998 }))), [9999, 10_000]);
    await store.close();
  });
});
