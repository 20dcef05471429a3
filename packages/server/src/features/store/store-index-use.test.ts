import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, test } from 'node:test';
import pg from 'pg';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import type { FeatureStore, QueryPlan } from '../plan.ts';
import { compileQuery } from './compile-query.ts';
import { layerSchema } from './layer-schema.ts';
import { openFeatureStore } from './open-store.ts';
import { postgisDialect } from './postgis-dialect.ts';
import { sqliteDialect } from './sqlite-dialect.ts';

/**
 * A bounding-box query reads only what it returns: on a layer of 50,000 points, SQLite's plan
 * starts from the R*Tree and looks rows up by rowid (the layer is stored in Z-order, its object
 * ids in an index beside it; never scanning the layer), and PostgreSQL's uses the GiST index
 * (no sequential scan). Without a box, SQLite pages in object-id order through that index, finds
 * object ids by it, and reads the table once (then sorts) for a where clause alone.
 */
const N = 50_000;
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function loadPoints(store: FeatureStore): Promise<void> {
  const w = await store.createLayer('big', {
    id: 0,
    name: 'Points',
    geometryType: 'esriGeometryPoint',
    wkid: 4326,
    fields: [{ name: 'n', type: 'esriFieldTypeInteger', alias: 'n', nullable: true }],
  });
  for (let b = 0; b < N; b += 10_000) {
    await w.append(
      Array.from({ length: 10_000 }, (_x, i) => ({
        attributes: { n: b + i },
        geometry: { x: ((b + i) % 250) - 125, y: Math.floor((b + i) / 250) / 4 - 25 },
      })),
    );
  }
  await w.finish();
}

const bbox: QueryPlan = {
  mode: 'features',
  where: { kind: 'cmp', op: '>=', left: { field: 'n' }, right: { value: 0 } },
  spatial: {
    envelope: { xmin: 0, ymin: 0, xmax: 10, ymax: 2 },
    rel: 'envelope-intersects',
    geometry: { rings: [] },
  },
  outFields: ['n'],
  returnGeometry: true,
  orderBy: [{ field: 'OBJECTID', dir: 'ASC' }],
  offset: 0,
  limit: 1000,
};

test('SQLite: a bounding-box query starts from the R*Tree and never scans the layer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'meridian-features-'));
  const store = await openFeatureStore({ home: dir });
  cleanups.push(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await loadPoints(store);
  const r = await store.query('big', 0, bbox);
  assert.ok(r.mode === 'features');
  if (r.mode !== 'features') return;
  assert.equal(r.features.length, 11 * 9);

  const db = new DatabaseSync(join(dir, 'features.sqlite'));
  const row = db.prepare(`SELECT tbl, def FROM layers WHERE service_key = 'big'`).get()!;
  const tbl = row.tbl as number;
  const steps = (p: QueryPlan) => {
    const q = compileQuery(
      layerSchema(JSON.parse(row.def as string)),
      p,
      sqliteDialect(tbl, () => 0),
    );
    return db
      .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
      .all(...(q.params as never[]))
      .map((s) => String(s.detail));
  };
  const oidIndex = new RegExp(`\\bUSING (COVERING )?INDEX f${tbl}_oid\\b`);
  try {
    const box = steps(bbox);
    assert.match(box[0]!, /^SCAN r VIRTUAL TABLE INDEX \d+:/, box.join('\n'));
    assert.ok(
      box.some((s) => /^SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(s)),
      box.join('\n'),
    );
    assert.ok(!box.some((s) => /^SCAN t\b/.test(s)), box.join('\n'));

    // A page in object-id order, no box: the OID index gives the order (no sort).
    const paged = steps({ ...bbox, where: { kind: 'true' }, spatial: undefined, offset: 2000 });
    assert.ok(
      paged.some((s) => /^SCAN t\b/.test(s) && oidIndex.test(s)),
      paged.join('\n'),
    );
    assert.ok(!paged.some((s) => /TEMP B-TREE/.test(s)), paged.join('\n'));
    const ids = steps({
      ...bbox,
      mode: 'ids',
      where: { kind: 'true' },
      spatial: undefined,
      limit: undefined,
    });
    assert.ok(
      ids.some((s) => /^SCAN t\b/.test(s) && oidIndex.test(s)),
      ids.join('\n'),
    );
    assert.ok(!ids.some((s) => /TEMP B-TREE/.test(s)), ids.join('\n'));

    // Object ids are searched in the OID index.
    const byIds = steps({ ...bbox, spatial: undefined, objectIds: [3, 30_000] });
    assert.ok(
      byIds.some((s) => /^SEARCH t\b/.test(s) && oidIndex.test(s)),
      byIds.join('\n'),
    );
    assert.ok(!byIds.some((s) => /^SCAN t\b/.test(s)), byIds.join('\n'));

    // A where clause alone reads the table in its order and sorts, never walking the OID index.
    const filtered = steps({ ...bbox, spatial: undefined });
    assert.ok(filtered.includes('SCAN t'), filtered.join('\n'));
    assert.ok(
      filtered.some((s) => /TEMP B-TREE FOR ORDER BY/.test(s)),
      filtered.join('\n'),
    );
    assert.ok(!filtered.some((s) => oidIndex.test(s)), filtered.join('\n'));
  } finally {
    db.close();
  }
});

test('PostGIS: a bounding-box query uses the GiST index', async () => {
  const db = await createPgDatabase();
  const store = await openFeatureStore({ home: '/nonexistent', pgUrl: db.url });
  const client = new pg.Client({ connectionString: db.url });
  cleanups.push(async () => {
    await client.end();
    await store.close();
    await db.drop();
  });
  await loadPoints(store);
  const r = await store.query('big', 0, bbox);
  assert.ok(r.mode === 'features' && r.features.length === 11 * 9);

  await client.connect();
  const row = (await client.query(`SELECT tbl, def FROM meridian_features.layers WHERE service_key = 'big'`))
    .rows[0];
  const q = compileQuery(
    layerSchema(JSON.parse(row.def)),
    bbox,
    postgisDialect(`"meridian_features"."f${row.tbl}"`, 4326),
  );
  const plan = (await client.query({ text: `EXPLAIN ${q.sql}`, values: q.params })).rows.map(
    (x) => x['QUERY PLAN'],
  );
  const text = plan.join('\n');
  assert.match(text, /Index Scan|Bitmap Index Scan/, text);
  assert.match(text, /_geom_idx/, text);
  assert.doesNotMatch(text, /Seq Scan/, text);
});
