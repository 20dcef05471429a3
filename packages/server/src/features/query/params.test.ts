import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import type { LayerDef } from '../plan.ts';
import { MAX_VERTICES } from './geometry-param.ts';
import { parseQuery } from './params.ts';
import { toMercator } from './projection.ts';
import { testLayer } from './test-layer.ts';

const layer = testLayer();
const opts = { maxRecordCount: 1000 };
const q = (params: Record<string, string | undefined>, l: LayerDef = layer) => parseQuery(params, l, opts);

/** Asserts a features.bad_query (or bad_where) 400 whose message matches `re`. */
function rejects(
  params: Record<string, string>,
  re: RegExp,
  l: LayerDef = layer,
  code = 'features.bad_query',
): void {
  assert.throws(
    () => q(params, l),
    (e: unknown) => {
      assert.ok(isMeridianError(e), `not a MeridianError: ${e}`);
      assert.equal(e.code, code);
      assert.equal(e.status, 400);
      assert.match(e.message, re);
      return true;
    },
    JSON.stringify(params),
  );
}

describe('parseQuery', () => {
  test('defaults: json, every feature, OID only, geometry, ordered by OID, capped at maxRecordCount', () => {
    const { plan, outSR, format } = q({});
    assert.equal(format, 'json');
    assert.equal(outSR, 4326);
    assert.deepEqual(plan, {
      mode: 'features',
      where: { kind: 'true' },
      outFields: ['OBJECTID'],
      returnGeometry: true,
      orderBy: [{ field: 'OBJECTID', dir: 'ASC' }],
      offset: 0,
      limit: 1000,
    });
  });

  test('parameter names are case-insensitive; where is parsed against the layer', () => {
    const { plan } = q({ WHERE: 'POP > 5', outfields: '*' });
    assert.deepEqual(plan.where, { kind: 'cmp', op: '>', left: { field: 'pop' }, right: { value: 5 } });
    assert.equal(plan.outFields.length, layer.fields.length);
    rejects({ where: 'nope = 1' }, /unknown field 'nope'/, layer, 'features.bad_where');
  });

  test('f: json, pjson, geojson; anything else is refused', () => {
    assert.equal(q({ f: 'pjson' }).format, 'pjson');
    assert.equal(q({ f: 'GeoJSON' }).format, 'geojson');
    rejects({ f: 'kmz' }, /'f': 'kmz' is not supported; use json, pjson or geojson/);
  });

  test('outFields: *, comma lists case-insensitively, the OID always included, unknown names refused', () => {
    assert.deepEqual(q({ outFields: 'name, POP' }).plan.outFields, ['OBJECTID', 'Name', 'pop']);
    assert.deepEqual(q({ outFields: 'pop,objectid,pop' }).plan.outFields, ['OBJECTID', 'pop']);
    assert.deepEqual(q({ outFields: '' }).plan.outFields, ['OBJECTID']);
    rejects(
      { outFields: 'name,shape_area' },
      /'outFields': unknown field 'shape_area' \(the layer's fields: OBJECTID, Name/,
    );
  });

  test('returnGeometry: true/false, default true, always false for a table', () => {
    assert.equal(q({ returnGeometry: 'false' }).plan.returnGeometry, false);
    assert.equal(q({ returnGeometry: 'TRUE' }).plan.returnGeometry, true);
    assert.equal(q({}, testLayer({ geometryType: null })).plan.returnGeometry, false);
    rejects({ returnGeometry: 'yes' }, /'returnGeometry': expected true or false, found 'yes'/);
  });

  test('modes: ids, count, extent; extent wins over count, count over ids', () => {
    const ids = q({ returnIdsOnly: 'true', resultRecordCount: '5' }).plan;
    assert.equal(ids.mode, 'ids');
    assert.equal(ids.limit, undefined);
    assert.deepEqual(ids.outFields, ['OBJECTID']);
    assert.equal(ids.returnGeometry, false);
    assert.equal(q({ returnCountOnly: 'true', returnIdsOnly: 'true' }).plan.mode, 'count');
    assert.equal(q({ returnCountOnly: 'true', returnExtentOnly: 'true' }).plan.mode, 'extent');
    const count = q({ returnCountOnly: 'true', resultOffset: '10' }).plan;
    assert.equal(count.offset, 0);
    assert.equal(count.limit, undefined);
    rejects({ returnCountOnly: '1' }, /'returnCountOnly': expected true or false/);
  });

  test('paging: a resultRecordCount above maxRecordCount is capped, never refused; negatives are refused', () => {
    assert.equal(q({ resultRecordCount: '50' }).plan.limit, 50);
    assert.equal(q({ resultRecordCount: '5000' }).plan.limit, 1000);
    assert.equal(q({ resultOffset: '2000', resultRecordCount: '10' }).plan.offset, 2000);
    rejects(
      { resultRecordCount: '-1' },
      /'resultRecordCount': expected a whole number of 0 or more, found '-1'/,
    );
    rejects({ resultOffset: '-5' }, /'resultOffset': expected a whole number/);
    rejects({ resultOffset: '1.5' }, /'resultOffset'/);
  });

  test('orderByFields: field [ASC|DESC], resolved, the OID appended last; default OID ASC', () => {
    assert.deepEqual(q({ orderByFields: 'pop DESC, name' }).plan.orderBy, [
      { field: 'pop', dir: 'DESC' },
      { field: 'Name', dir: 'ASC' },
      { field: 'OBJECTID', dir: 'ASC' },
    ]);
    assert.deepEqual(q({ orderByFields: 'objectid desc' }).plan.orderBy, [
      { field: 'OBJECTID', dir: 'DESC' },
    ]);
    rejects(
      { orderByFields: 'pop; DROP' },
      /'orderByFields': expected 'field \[ASC\|DESC\]', found 'pop; DROP'/,
    );
    rejects({ orderByFields: 'height DESC' }, /'orderByFields': unknown field 'height'/);
  });

  test('objectIds: de-duplicated and sorted; non-integers and too many refused', () => {
    assert.deepEqual(q({ objectIds: '5, 3,5,,1' }).plan.objectIds, [1, 3, 5]);
    assert.equal(q({ objectIds: '' }).plan.objectIds, undefined);
    rejects({ objectIds: '1,2.5' }, /'objectIds': '2.5' is not an object id/);
    rejects({ objectIds: '1,-2' }, /'-2' is not an object id/);
    rejects({ objectIds: '1 OR 1=1' }, /'1 OR 1=1' is not an object id/);
    const many = Array.from({ length: 10_001 }, (_, i) => i + 1).join(',');
    rejects({ objectIds: many }, /more than 10000 object ids/);
    assert.equal(
      q({ objectIds: Array.from({ length: 10_000 }, (_, i) => i + 1).join(',') }).plan.objectIds!.length,
      10_000,
    );
  });

  test('outSR: a number or {wkid}/{latestWkid}; 102100 is 3857; geojson is always 4326', () => {
    assert.equal(q({ outSR: '102100' }).outSR, 3857);
    assert.equal(q({ outSR: '{"wkid":102100,"latestWkid":3857}' }).outSR, 3857);
    assert.equal(q({ outSR: '{"latestWkid":4326}' }).outSR, 4326);
    assert.equal(q({ outSR: '3857', f: 'geojson' }).outSR, 4326);
    assert.equal(q({}, testLayer({ wkid: 102100 })).outSR, 3857);
    rejects(
      { outSR: '27700' },
      /'outSR': spatial reference 27700 is not supported; the supported ones are 4326, 3857 \(102100\)/,
    );
    rejects({ outSR: '{"wkt":"PROJCS…"}' }, /'outSR': expected a spatial reference with a wkid/);
    rejects({ outSR: 'web' }, /'outSR': expected a wkid such as 4326/);
  });

  test('a layer in another spatial reference answers in its own, and refuses the ones it cannot project to', () => {
    const british = testLayer({ wkid: 27700 });
    assert.equal(q({}, british).outSR, 27700);
    assert.equal(q({ outSR: '27700' }, british).outSR, 27700);
    rejects({ outSR: '4326' }, /4326 is not supported; the supported ones are 27700, 4326, 3857/, british);
  });

  test('geometry: an envelope as JSON or "xmin,ymin,xmax,ymax", in the layer SR when no inSR is given (QGIS)', () => {
    const a = q({ geometry: '{"xmin":1,"ymin":2,"xmax":3,"ymax":4}' }).plan.spatial!;
    assert.deepEqual(a.envelope, { xmin: 1, ymin: 2, xmax: 3, ymax: 4 });
    assert.equal(a.rel, 'intersects');
    assert.deepEqual(a.geometry, {
      rings: [
        [
          [1, 2],
          [1, 4],
          [3, 4],
          [3, 2],
          [1, 2],
        ],
      ],
    });
    const b = q({
      geometry: '1,2,3,4',
      geometryType: 'esriGeometryEnvelope',
      spatialRel: 'esriSpatialRelEnvelopeIntersects',
    }).plan.spatial!;
    assert.deepEqual(b.envelope, a.envelope);
    assert.equal(b.rel, 'envelope-intersects');
  });

  test('geometry: inSR, then the geometry own spatialReference, projected into the layer SR', () => {
    const [x1, y1] = toMercator(1, 2);
    const [x2, y2] = toMercator(3, 4);
    const env = { xmin: x1, ymin: y1, xmax: x2, ymax: y2 };
    for (const params of [
      { geometry: JSON.stringify(env), inSR: '102100' },
      { geometry: JSON.stringify({ ...env, spatialReference: { wkid: 102100 } }) },
      { geometry: JSON.stringify({ ...env, spatialReference: { wkid: 4326 } }), inSR: '{"wkid":3857}' },
    ]) {
      const s = q(params).plan.spatial!;
      for (const [k, v] of Object.entries({ xmin: 1, ymin: 2, xmax: 3, ymax: 4 })) {
        assert.ok(Math.abs(s.envelope[k as 'xmin'] - v) < 1e-9, `${k} ${s.envelope[k as 'xmin']}`);
      }
    }
    const merc = testLayer({ wkid: 3857 });
    const p = q({ geometry: '{"x":1,"y":2}', geometryType: 'esriGeometryPoint', inSR: '4326' }, merc).plan
      .spatial!;
    assert.deepEqual(p.geometry, { x: x1, y: y1 });
    assert.deepEqual(p.envelope, { xmin: x1, ymin: y1, xmax: x1, ymax: y1 });
  });

  test('geometry: point "x,y", multipoint, polyline, polygon (closed if open), shape inferred when no type is given', () => {
    assert.deepEqual(q({ geometry: '5,6' }).plan.spatial!.geometry, { x: 5, y: 6 });
    assert.deepEqual(q({ geometry: '{"points":[[1,2],[3,4]]}' }).plan.spatial!.envelope, {
      xmin: 1,
      ymin: 2,
      xmax: 3,
      ymax: 4,
    });
    assert.deepEqual(
      q({ geometry: '{"paths":[[[0,0],[2,1]]]}', geometryType: 'esriGeometryPolyline' }).plan.spatial!
        .geometry,
      {
        paths: [
          [
            [0, 0],
            [2, 1],
          ],
        ],
      },
    );
    assert.deepEqual(q({ geometry: '{"rings":[[[0,0],[0,1],[1,1]]]}' }).plan.spatial!.geometry, {
      rings: [
        [
          [0, 0],
          [0, 1],
          [1, 1],
          [0, 0],
        ],
      ],
    });
  });

  test('geometry on a table is ignored, as ArcGIS does', () => {
    assert.equal(q({ geometry: '1,2,3,4' }, testLayer({ geometryType: null })).plan.spatial, undefined);
  });

  test('absurd geometries are refused naming the problem', () => {
    rejects({ geometry: '{"xmin":1,"ymin":2,"xmax":' }, /'geometry': not valid JSON/);
    rejects({ geometry: '{"xmin":5,"ymin":2,"xmax":3,"ymax":4}' }, /'geometry': the envelope is inverted/);
    rejects(
      { geometry: '{"xmin":"NaN","ymin":2,"xmax":3,"ymax":4}' },
      /xmin must be a finite number, found "NaN"/,
    );
    rejects({ geometry: '1,2,Infinity,4' }, /xmax must be a finite number/);
    rejects({ geometry: '{"xmin":1e400,"ymin":2,"xmax":3,"ymax":4}' }, /xmin must be a finite number/);
    rejects(
      { geometry: '{"x":1,"y":95}', geometryType: 'esriGeometryPoint' },
      /latitude 95 .* is beyond ±90/,
    );
    rejects({ geometry: '{"x":1}', geometryType: 'esriGeometryPoint' }, /a point needs x and y/);
    rejects({ geometry: '{"rings":[]}' }, /rings must be a non-empty array/);
    rejects({ geometry: '{"rings":[[[0,0],[1,1]]]}' }, /rings\[0\] must be an array of at least 3/);
    rejects({ geometry: '{"rings":[[[0,0],[1,1],[0,0],[0,0]]]}' }, /rings\[0\] needs at least 3 distinct/);
    rejects({ geometry: '{"paths":[[[0,0],["a",1]]]}' }, /paths\[0\]\[1\] x must be a finite number/);
    rejects({ geometry: '[1,2]' }, /expected a geometry object/);
    rejects({ geometry: '1,2,3' }, /expected JSON, "xmin,ymin,xmax,ymax"/);
    rejects(
      { geometry: '{"x":1,"y":2}', geometryType: 'esriGeometryEnvelope' },
      /an envelope needs xmin.*'xmin' is missing/,
    );
    rejects(
      { geometry: '1,2,3,4', geometryType: 'esriGeometryCircle' },
      /'geometryType': 'esriGeometryCircle' is not one of/,
    );
    const ring = Array.from({ length: MAX_VERTICES + 1 }, (_, i) => [i % 90, (i % 7) / 10]);
    rejects({ geometry: JSON.stringify({ rings: [ring] }) }, /more than 100000 vertices/);
  });

  test('spatialRel: intersects and envelope-intersects; others refused with the list', () => {
    rejects(
      { geometry: '1,2,3,4', spatialRel: 'esriSpatialRelContains' },
      /'spatialRel': 'esriSpatialRelContains' is not supported; the supported ones are esriSpatialRelIntersects, esriSpatialRelEnvelopeIntersects/,
    );
  });

  test('inSR: unsupported ones are refused', () => {
    rejects({ geometry: '1,2,3,4', inSR: '2154' }, /'inSR': spatial reference 2154 is not supported/);
    rejects(
      { geometry: '{"x":1,"y":2,"spatialReference":{"wkid":2154}}' },
      /'geometry': spatial reference 2154/,
    );
  });

  test('outStatistics with groupByFieldsForStatistics', () => {
    const { plan } = q({
      outStatistics: JSON.stringify([
        { statisticType: 'SUM', onStatisticField: 'POP', outStatisticFieldName: 'total' },
        { statisticType: 'count', onStatisticField: 'objectid' },
        { statisticType: 'max', onStatisticField: 'name' },
      ]),
      groupByFieldsForStatistics: 'rank',
      orderByFields: 'total DESC',
      resultRecordCount: '99999',
    });
    assert.equal(plan.mode, 'stats');
    assert.deepEqual(plan.statistics, [
      { type: 'sum', field: 'pop', outName: 'total' },
      { type: 'count', field: 'OBJECTID', outName: 'count_OBJECTID' },
      { type: 'max', field: 'Name', outName: 'max_Name' },
    ]);
    assert.deepEqual(plan.groupBy, ['rank']);
    assert.deepEqual(plan.orderBy, [
      { field: 'total', dir: 'DESC' },
      { field: 'rank', dir: 'ASC' },
    ]);
    assert.equal(plan.limit, 1000);
    const star = q({ outStatistics: '[{"statisticType":"count","onStatisticField":"*"}]' }).plan;
    assert.deepEqual(star.statistics, [{ type: 'count', field: '*', outName: 'count_all' }]);
    assert.deepEqual(star.groupBy, []);
    assert.deepEqual(star.orderBy, []);
  });

  test('bad outStatistics are refused naming the item', () => {
    rejects({ outStatistics: 'count(pop)' }, /'outStatistics': not valid JSON/);
    rejects({ outStatistics: '[]' }, /expected a JSON array of 1 to 50/);
    rejects(
      { outStatistics: '[{"statisticType":"median","onStatisticField":"pop"}]' },
      /\[0\]\.statisticType 'median' is not one of count, sum, min, max, avg, stddev, var/,
    );
    rejects(
      { outStatistics: '[{"statisticType":"sum","onStatisticField":"name"}]' },
      /\[0\]: sum needs a numeric field; 'Name' is esriFieldTypeString/,
    );
    rejects({ outStatistics: '[{"statisticType":"sum","onStatisticField":"nope"}]' }, /unknown field 'nope'/);
    rejects({ outStatistics: '[{"statisticType":"sum","onStatisticField":"*"}]' }, /unknown field '\*'/);
    rejects(
      {
        outStatistics: '[{"statisticType":"sum","onStatisticField":"pop","outStatisticFieldName":"x; drop"}]',
      },
      /may hold only letters, digits and underscores/,
    );
    rejects(
      {
        outStatistics: '[{"statisticType":"sum","onStatisticField":"pop","outStatisticFieldName":"rank"}]',
        groupByFieldsForStatistics: 'rank',
      },
      /the output name 'rank' is used twice/,
    );
    rejects(
      { groupByFieldsForStatistics: 'rank' },
      /'groupByFieldsForStatistics': is only allowed together with outStatistics/,
    );
    rejects(
      {
        outStatistics: '[{"statisticType":"sum","onStatisticField":"pop"}]',
        groupByFieldsForStatistics: 'zzz',
      },
      /'groupByFieldsForStatistics': unknown field 'zzz'/,
    );
    rejects(
      { outStatistics: '[{"statisticType":"sum","onStatisticField":"pop"}]', orderByFields: 'name' },
      /order by the group-by fields or the statistics' output names: sum_pop/,
    );
  });
});
