import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { QueryResult, StoredFeature } from '../plan.ts';
import { parseQuery } from './params.ts';
import { toMercator } from './projection.ts';
import { serialize } from './serialize.ts';
import { testLayer } from './test-layer.ts';

const layer = testLayer();
const parse = (params: Record<string, string>, max = 2) => parseQuery(params, layer, { maxRecordCount: max });

function feature(id: number, x: number, y: number): StoredFeature {
  return {
    attributes: { OBJECTID: id, Name: `c${id}`, pop: id * 10, Area_km2: 1.5, Founded: 0, rank: 1 },
    geometry: { x, y },
  };
}

describe('serialize', () => {
  test('Esri JSON features: the returned fields only, outSR, exceededTransferLimit always present', () => {
    const parsed = parse({ outFields: 'name', outSR: '102100' });
    const result: QueryResult = {
      mode: 'features',
      features: [feature(1, 10, 20)],
      exceededTransferLimit: false,
    };
    const body = serialize(layer, result, parsed);
    assert.equal(body.objectIdFieldName, 'OBJECTID');
    assert.equal(body.globalIdFieldName, '');
    assert.equal(body.geometryType, 'esriGeometryPoint');
    assert.deepEqual(body.spatialReference, { wkid: 102100, latestWkid: 3857 });
    assert.deepEqual(
      (body.fields as { name: string }[]).map((f) => f.name),
      ['OBJECTID', 'Name'],
    );
    assert.deepEqual((body.fields as Record<string, unknown>[])[1], {
      name: 'Name',
      type: 'esriFieldTypeString',
      alias: 'City name',
      sqlType: 'sqlTypeOther',
      length: 40,
      domain: null,
      defaultValue: null,
    });
    const [x, y] = toMercator(10, 20);
    assert.deepEqual(body.features, [{ attributes: { OBJECTID: 1, Name: 'c1' }, geometry: { x, y } }]);
    assert.equal(body.exceededTransferLimit, false);
  });

  test('the cap rule: a page never holds more than the limit, and a cut page says exceededTransferLimit', () => {
    const parsed = parse({ outFields: '*', resultRecordCount: '100' }, 2);
    assert.equal(parsed.plan.limit, 2);
    // A store answering its limit + 1 probe row.
    const three: QueryResult = {
      mode: 'features',
      features: [feature(1, 0, 0), feature(2, 0, 0), feature(3, 0, 0)],
      exceededTransferLimit: false,
    };
    const body = serialize(layer, three, parsed);
    assert.equal((body.features as unknown[]).length, 2);
    assert.equal(body.exceededTransferLimit, true);
    const cut: QueryResult = { mode: 'features', features: [feature(1, 0, 0)], exceededTransferLimit: true };
    assert.equal(serialize(layer, cut, parsed).exceededTransferLimit, true);
    const geo = serialize(layer, three, { ...parsed, format: 'geojson' });
    assert.deepEqual(geo.properties, { exceededTransferLimit: true });
    assert.equal((geo.features as unknown[]).length, 2);
    const whole = serialize(
      layer,
      { mode: 'features', features: [], exceededTransferLimit: false },
      { ...parsed, format: 'geojson' },
    );
    assert.equal(whole.properties, undefined);
  });

  test('returnGeometry=false leaves geometries out', () => {
    const parsed = parse({ returnGeometry: 'false' });
    const body = serialize(
      layer,
      { mode: 'features', features: [feature(1, 1, 1)], exceededTransferLimit: false },
      parsed,
    );
    assert.deepEqual(body.features, [{ attributes: { OBJECTID: 1 } }]);
  });

  test('GeoJSON: FeatureCollection, id = OID, properties, coordinates reprojected to WGS84', () => {
    const merc = testLayer({ wkid: 3857 });
    const parsed = parseQuery({ outFields: 'pop', f: 'geojson', outSR: '3857' }, merc, {
      maxRecordCount: 10,
    });
    const [x, y] = toMercator(2, 48);
    const body = serialize(
      merc,
      { mode: 'features', features: [feature(7, x, y)], exceededTransferLimit: false },
      parsed,
    );
    assert.equal(body.type, 'FeatureCollection');
    const f = (body.features as Record<string, unknown>[])[0]!;
    assert.equal(f.type, 'Feature');
    assert.equal(f.id, 7);
    assert.deepEqual(f.properties, { OBJECTID: 7, pop: 70 });
    const [lon, lat] = (f.geometry as { coordinates: number[] }).coordinates;
    assert.ok(Math.abs(lon! - 2) < 1e-9 && Math.abs(lat! - 48) < 1e-9);
  });

  test('GeoJSON polygons come out with RFC 7946 orientation', () => {
    const polys = testLayer({ geometryType: 'esriGeometryPolygon' });
    const parsed = parseQuery({ f: 'geojson' }, polys, { maxRecordCount: 10 });
    const rings = [
      [
        [0, 0],
        [0, 10],
        [10, 10],
        [10, 0],
        [0, 0],
      ],
      [
        [2, 2],
        [4, 2],
        [4, 4],
        [2, 4],
        [2, 2],
      ],
    ];
    const body = serialize(
      polys,
      {
        mode: 'features',
        features: [{ attributes: { OBJECTID: 1 }, geometry: { rings } }],
        exceededTransferLimit: false,
      },
      parsed,
    );
    const g = (body.features as { geometry: { type: string; coordinates: number[][][] } }[])[0]!.geometry;
    assert.equal(g.type, 'Polygon');
    assert.deepEqual(g.coordinates[0], [...rings[0]!].reverse());
    assert.deepEqual(g.coordinates[1], [...rings[1]!].reverse());
  });

  test('ids, count', () => {
    assert.deepEqual(serialize(layer, { mode: 'ids', objectIds: [1, 2] }, parse({ returnIdsOnly: 'true' })), {
      objectIdFieldName: 'OBJECTID',
      objectIds: [1, 2],
    });
    assert.deepEqual(serialize(layer, { mode: 'count', count: 42 }, parse({ returnCountOnly: 'true' })), {
      count: 42,
    });
  });

  test('extent: in outSR with its spatialReference; GeoJSON gives a WGS84 bbox', () => {
    const e = { xmin: 1, ymin: 2, xmax: 3, ymax: 4 };
    assert.deepEqual(
      serialize(layer, { mode: 'extent', count: 3, extent: e }, parse({ returnExtentOnly: 'true' })),
      {
        count: 3,
        extent: { ...e, spatialReference: { wkid: 4326, latestWkid: 4326 } },
      },
    );
    const merc = serialize(
      layer,
      { mode: 'extent', count: 3, extent: e },
      parse({ returnExtentOnly: 'true', outSR: '3857' }),
    );
    const ext = merc.extent as Record<string, number>;
    assert.ok(Math.abs(ext.xmax! - toMercator(3, 4)[0]) < 1e-6);
    const geo = serialize(
      layer,
      { mode: 'extent', count: 3, extent: e },
      parse({ returnExtentOnly: 'true', f: 'geojson' }),
    );
    assert.deepEqual(geo.bbox, [1, 2, 3, 4]);
    const empty = serialize(
      layer,
      { mode: 'extent', count: 0, extent: null },
      parse({ returnExtentOnly: 'true', f: 'geojson' }),
    );
    assert.equal(empty.bbox, undefined);
    assert.equal(empty.count, 0);
  });

  test('statistics: fieldAliases, fields typed per statistic, attributes only', () => {
    const parsed = parse({
      outStatistics: JSON.stringify([
        { statisticType: 'count', onStatisticField: 'OBJECTID', outStatisticFieldName: 'n' },
        { statisticType: 'avg', onStatisticField: 'pop' },
        { statisticType: 'max', onStatisticField: 'name' },
      ]),
      groupByFieldsForStatistics: 'rank',
    });
    const body = serialize(
      layer,
      { mode: 'stats', rows: [{ rank: 1, n: 3, avg_pop: 20, max_Name: 'c3' }], exceededTransferLimit: false },
      parsed,
    );
    assert.equal(body.displayFieldName, '');
    assert.deepEqual(body.fieldAliases, { rank: 'rank', n: 'n', avg_pop: 'avg_pop', max_Name: 'max_Name' });
    assert.deepEqual(
      (body.fields as { name: string; type: string }[]).map((f) => [f.name, f.type]),
      [
        ['rank', 'esriFieldTypeSmallInteger'],
        ['n', 'esriFieldTypeInteger'],
        ['avg_pop', 'esriFieldTypeDouble'],
        ['max_Name', 'esriFieldTypeString'],
      ],
    );
    assert.deepEqual(body.features, [{ attributes: { rank: 1, n: 3, avg_pop: 20, max_Name: 'c3' } }]);
    assert.equal(body.exceededTransferLimit, undefined);
  });

  test('a table answers no geometryType nor spatialReference', () => {
    const table = testLayer({ geometryType: null });
    const parsed = parseQuery({ outFields: '*' }, table, { maxRecordCount: 5 });
    const body = serialize(
      table,
      {
        mode: 'features',
        features: [{ attributes: { OBJECTID: 1 }, geometry: null }],
        exceededTransferLimit: false,
      },
      parsed,
    );
    assert.equal(body.geometryType, undefined);
    assert.equal(body.spatialReference, undefined);
    assert.equal((body.features as Record<string, unknown>[])[0]!.geometry, undefined);
  });

  test('without the plan, the fields are read off the result', () => {
    const body = serialize(
      layer,
      {
        mode: 'features',
        features: [{ attributes: { OBJECTID: 1, pop: 3 }, geometry: { x: 0, y: 0 } }],
        exceededTransferLimit: false,
      },
      { outSR: 4326, format: 'json' },
    );
    assert.deepEqual(
      (body.fields as { name: string }[]).map((f) => f.name),
      ['OBJECTID', 'pop'],
    );
    assert.deepEqual(body.features, [{ attributes: { OBJECTID: 1, pop: 3 }, geometry: { x: 0, y: 0 } }]);
  });
});
