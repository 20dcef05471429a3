import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import type { FeatureStore, QueryPlan } from '../plan.ts';
import { openFeatureStore } from '../store/open-store.ts';
import { ingestFile } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'meridian-ingest-test-'));
let store: FeatureStore;
let n = 0;
before(async () => {
  store = await openFeatureStore({ home: dir });
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const all: QueryPlan = {
  mode: 'features',
  where: { kind: 'true' },
  outFields: [],
  returnGeometry: true,
  orderBy: [],
  offset: 0,
  limit: 100,
};

async function features(key: string, outFields: string[]) {
  const r = await store.query(key, 0, { ...all, outFields });
  assert.ok(r.mode === 'features');
  return r.mode === 'features' ? r.features : [];
}

async function refused(
  format: 'geojson' | 'csv',
  text: string,
  code: string,
  message: RegExp,
): Promise<void> {
  const key = `bad${n++}`;
  await assert.rejects(
    () => ingestFile(store, key, { path: file(`${key}.${format}`, text), format, layerName: 'x' }),
    (e: unknown) => isMeridianError(e) && e.code === code && message.test(e.message),
  );
  assert.deepEqual(await store.layers(key), []);
}

const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const pt = (x: number, y: number, properties: unknown = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Point', coordinates: [x, y] },
});

describe('GeoJSON', () => {
  test('points with inferred fields: integer, double, date, text (with JSON-looking text), renamed OID', async () => {
    const text = fc([
      pt(1, 2, {
        name: 'a "b" {c} [d]',
        pop: 10,
        ratio: 1,
        when: '2020-01-02',
        OBJECTID: 5,
        'addr:street': 'x',
      }),
      pt(3, 4, { name: 'é', pop: 20, ratio: 2.5, when: '2021-01-01T10:00:00Z', tags: ['t'] }),
    ]);
    // A stream (spooled) rather than a path, in chunks small enough to cut strings and features.
    const chunks = Buffer.from(text)
      .toString('latin1')
      .match(/[\s\S]{1,7}/g)!
      .map((c) => Buffer.from(c, 'latin1'));
    const [def] = await ingestFile(store, 'g1', {
      stream: Readable.from(chunks),
      format: 'geojson',
      layerName: 'Places',
    });
    assert.equal(def!.geometryType, 'esriGeometryPoint');
    assert.equal(def!.objectIdField, 'OBJECTID_1');
    assert.deepEqual(
      def!.fields.map((f) => [f.name, f.type]),
      [
        ['OBJECTID_1', 'esriFieldTypeOID'],
        ['name', 'esriFieldTypeString'],
        ['pop', 'esriFieldTypeInteger'],
        ['ratio', 'esriFieldTypeDouble'],
        ['when', 'esriFieldTypeDate'],
        ['OBJECTID', 'esriFieldTypeInteger'],
        ['addr_street', 'esriFieldTypeString'],
        ['tags', 'esriFieldTypeString'],
      ],
    );
    const fs = await features('g1', ['name', 'when', 'tags']);
    assert.deepEqual(fs[0], {
      attributes: { OBJECTID_1: 1, name: 'a "b" {c} [d]', when: Date.UTC(2020, 0, 2), tags: null },
      geometry: { x: 1, y: 2 },
    });
    assert.deepEqual(fs[1]!.attributes, {
      OBJECTID_1: 2,
      name: 'é',
      when: Date.UTC(2021, 0, 1, 10),
      tags: '["t"]',
    });
  });

  test('polygons: rings closed for you and wound outer-clockwise; Point + MultiPoint make a multipoint layer', async () => {
    const poly = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [4, 0],
            [4, 4],
            [0, 4],
          ],
        ],
      },
    };
    const [def] = await ingestFile(store, 'g2', {
      path: file('g2.geojson', fc([poly])),
      format: 'geojson',
      layerName: 'p',
    });
    assert.equal(def!.geometryType, 'esriGeometryPolygon');
    assert.deepEqual((await features('g2', []))[0]!.geometry, {
      rings: [
        [
          [0, 0],
          [0, 4],
          [4, 4],
          [4, 0],
          [0, 0],
        ],
      ],
    });
    const mp = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'MultiPoint',
        coordinates: [
          [1, 1],
          [2, 2],
        ],
      },
    };
    const [d3] = await ingestFile(store, 'g3', {
      path: file('g3.geojson', fc([pt(5, 5), mp])),
      format: 'geojson',
      layerName: 'm',
    });
    assert.equal(d3!.geometryType, 'esriGeometryMultipoint');
    assert.deepEqual((await features('g3', []))[0]!.geometry, { points: [[5, 5]] });
  });

  test('bad input: each error names the feature and what is wrong, and leaves no layer', async () => {
    const line = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
    };
    await refused(
      'geojson',
      fc([pt(0, 0), line]),
      'features.bad_geojson',
      /Feature 2 \(features\[1\]\): .*polyline.*that of Feature 1 \(features\[0\]\) is a point/,
    );
    await refused(
      'geojson',
      fc([pt(0, 0), pt(200, 0)]),
      'features.bad_geojson',
      /Feature 2 \(features\[1\]\): longitude 200 is outside/,
    );
    await refused(
      'geojson',
      fc([pt(0, 95)]),
      'features.bad_geojson',
      /Feature 1 \(features\[0\]\): latitude 95/,
    );
    await refused(
      'geojson',
      fc([{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: ['a', 1] } }]),
      'features.bad_geojson',
      /Feature 1 \(features\[0\]\): position \[a, 1\] is not a pair of finite numbers/,
    );
    const tiny = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
          ],
        ],
      },
    };
    await refused(
      'geojson',
      fc([tiny]),
      'features.bad_geojson',
      /Feature 1 \(features\[0\]\): a polygon ring has fewer than four positions/,
    );
    const gc = { type: 'Feature', properties: {}, geometry: { type: 'GeometryCollection', geometries: [] } };
    await refused(
      'geojson',
      fc([gc]),
      'features.bad_geojson',
      /Feature 1 \(features\[0\]\): geometry type "GeometryCollection" is not supported/,
    );
    await refused(
      'geojson',
      '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null},{"type":"Feature",,}]}',
      'features.bad_geojson',
      /Feature 2 \(features\[1\]\) is not valid JSON/,
    );
    await refused('geojson', fc([pt(0, 0)]).slice(0, -3), 'features.bad_geojson', /cut short/);
    await refused(
      'geojson',
      JSON.stringify(pt(0, 0)),
      'features.bad_geojson',
      /type is "Feature"; expected "FeatureCollection"/,
    );
    await refused('geojson', '[1,2]', 'features.bad_geojson', /must start with "\{"/);
    await refused(
      'geojson',
      fc([{ type: 'Thing' }]),
      'features.bad_geojson',
      /Feature 1 \(features\[0\]\): its "type" is not "Feature"/,
    );
  });
});

describe('CSV', () => {
  test('quoted fields (commas, quotes, line breaks), point columns in any case, leading zeros stay text', async () => {
    const text =
      'Name,LAT,Longitude,zip,count,when\r\n"Smith, ""J""",10.5,20.25,00123,3,2020-01-01\r\n"two\nlines",-5,7,456,4,\r\n,,,,,\r\n';
    const [def] = await ingestFile(store, 'c1', {
      path: file('c1.csv', text),
      format: 'csv',
      layerName: 'c',
    });
    assert.equal(def!.geometryType, 'esriGeometryPoint');
    assert.deepEqual(
      def!.fields.map((f) => [f.name, f.type]),
      [
        ['OBJECTID', 'esriFieldTypeOID'],
        ['Name', 'esriFieldTypeString'],
        ['LAT', 'esriFieldTypeDouble'],
        ['Longitude', 'esriFieldTypeDouble'],
        ['zip', 'esriFieldTypeString'],
        ['count', 'esriFieldTypeInteger'],
        ['when', 'esriFieldTypeDate'],
      ],
    );
    const fs = await features('c1', ['Name', 'zip', 'count', 'when']);
    assert.deepEqual(fs[0], {
      attributes: { OBJECTID: 1, Name: 'Smith, "J"', zip: '00123', count: 3, when: Date.UTC(2020, 0, 1) },
      geometry: { x: 20.25, y: 10.5 },
    });
    assert.deepEqual(fs[1]!.attributes.Name, 'two\nlines');
    assert.deepEqual(fs[2], {
      attributes: { OBJECTID: 3, Name: null, zip: null, count: null, when: null },
      geometry: null,
    });
  });

  test('no point columns: a table', async () => {
    const [def] = await ingestFile(store, 'c2', {
      path: file('c2.csv', 'a,b\n1,x\n'),
      format: 'csv',
      layerName: 't',
    });
    assert.equal(def!.geometryType, null);
  });

  test('bad input: each error names the line and what is wrong', async () => {
    await refused(
      'csv',
      'x,y,name\n1,2,a\n3,4\n',
      'features.bad_csv',
      /Line 3: 2 fields where the header has 3/,
    );
    await refused(
      'csv',
      'x,y,name\n1,2,a\n"3,4,b\n',
      'features.bad_csv',
      /Line 3: a quoted field is never closed/,
    );
    await refused('csv', 'lon,lat\n1,2\nabc,4\n', 'features.bad_csv', /Line 3: lon "abc" is not a number/);
    await refused(
      'csv',
      'lon,lat\n1,91\n',
      'features.bad_csv',
      /Line 2: latitude 91 \(lat\) is outside -90..90/,
    );
    await refused('csv', 'a,b\n"x"y,1\n', 'features.bad_csv', /Line 2: text after the closing quote/);
    await refused('csv', '', 'features.bad_csv', /needs a header line/);
  });
});

test('a 200,000-point GeoJSON is read in bounded memory', () => {
  // In a child process, so that its peak RSS is the ingest's alone.
  const script = `
    import { createWriteStream } from 'node:fs';
    import { once } from 'node:events';
    import { openFeatureStore } from ${JSON.stringify(new URL('../store/open-store.ts', import.meta.url).pathname)};
    import { ingestFile } from ${JSON.stringify(new URL('./index.ts', import.meta.url).pathname)};
    const dir = ${JSON.stringify(dir)};
    const out = createWriteStream(dir + '/big.geojson');
    out.write('{"type":"FeatureCollection","features":[');
    for (let i = 0; i < 200000; i++) {
      const f = { type: 'Feature', properties: { i, name: 'feature ' + i, v: i / 7 }, geometry: { type: 'Point', coordinates: [(i % 3600) / 10 - 180, Math.floor(i / 3600) / 10 - 80] } };
      if (!out.write((i ? ',' : '') + JSON.stringify(f))) await once(out, 'drain');
    }
    out.end(']}');
    await once(out, 'finish');
    const store = await openFeatureStore({ home: dir + '/big' });
    let heap = 0;
    const onProgress = () => { heap = Math.max(heap, process.memoryUsage().heapUsed); };
    const [def] = await ingestFile(store, 'big', { path: dir + '/big.geojson', format: 'geojson', layerName: 'big', onProgress });
    await store.close();
    process.stdout.write(JSON.stringify({ count: def.featureCount, heap, rss: process.resourceUsage().maxRSS }));
  `;
  const r = spawnSync(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const { count, heap, rss } = JSON.parse(r.stdout) as { count: number; heap: number; rss: number };
  assert.equal(count, 200_000);
  // The file is ~30 MB: parsed whole, it and its 200,000 features would take the JS heap far
  // past this (the stream keeps ~45 MB). maxRSS (KiB) also counts Node itself (~95 MB) and
  // SQLite's page cache and mapped pages.
  assert.ok(heap < 100 * 1024 * 1024, `peak heap ${Math.round(heap / 2 ** 20)} MB`);
  assert.ok(rss < 350 * 1024, `peak RSS ${Math.round(rss / 1024)} MB`);
});
