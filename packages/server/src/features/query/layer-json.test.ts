import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { layerJson, serviceJson } from './layer-json.ts';
import { toMercator } from './projection.ts';
import { testLayer } from './test-layer.ts';

describe('layerJson', () => {
  test('a feature layer carries what QGIS and arcgis-rest-js read', () => {
    const j = layerJson(testLayer(), { maxRecordCount: 2000 });
    assert.equal(j.type, 'Feature Layer');
    assert.equal(j.geometryType, 'esriGeometryPoint');
    assert.equal(j.objectIdField, 'OBJECTID');
    assert.equal(j.hasZ, false);
    assert.equal(j.hasM, false);
    assert.equal(j.capabilities, 'Query');
    assert.equal(j.maxRecordCount, 2000);
    assert.equal(j.supportedQueryFormats, 'JSON, geoJSON');
    assert.equal(j.displayField, 'Name');
    assert.deepEqual(j.extent, {
      xmin: -10,
      ymin: 40,
      xmax: 20,
      ymax: 60,
      spatialReference: { wkid: 4326, latestWkid: 4326 },
    });
    const fields = j.fields as Record<string, unknown>[];
    assert.deepEqual(fields[0], {
      name: 'OBJECTID',
      type: 'esriFieldTypeOID',
      alias: 'OBJECTID',
      sqlType: 'sqlTypeOther',
      nullable: false,
      editable: false,
      domain: null,
      defaultValue: null,
    });
    const adv = j.advancedQueryCapabilities as Record<string, boolean>;
    assert.equal(adv.supportsPagination, true);
    assert.equal(adv.supportsOrderBy, true);
    assert.equal(adv.supportsStatistics, true);
    assert.equal(adv.supportsCountDistinct, false);
    const renderer = (j.drawingInfo as { renderer: { type: string; symbol: { type: string } } }).renderer;
    assert.equal(renderer.type, 'simple');
    assert.equal(renderer.symbol.type, 'esriSMS');
    assert.equal(typeof j.currentVersion, 'number');
  });

  test('renderers follow the geometry type', () => {
    const sym = (geometryType: 'esriGeometryPolyline' | 'esriGeometryPolygon') =>
      (
        layerJson(testLayer({ geometryType }), { maxRecordCount: 1 }).drawingInfo as {
          renderer: { symbol: { type: string } };
        }
      ).renderer.symbol.type;
    assert.equal(sym('esriGeometryPolyline'), 'esriSLS');
    assert.equal(sym('esriGeometryPolygon'), 'esriSFS');
  });

  test('a table is type Table with no geometry, extent or renderer', () => {
    const j = layerJson(testLayer({ geometryType: null, extent: null }), { maxRecordCount: 10 });
    assert.equal(j.type, 'Table');
    assert.equal(j.geometryType, undefined);
    assert.equal(j.extent, undefined);
    assert.equal(j.drawingInfo, undefined);
    assert.equal(j.capabilities, 'Query');
  });

  test('an empty Web Mercator layer answers the world extent with 102100', () => {
    const j = layerJson(testLayer({ wkid: 3857, extent: null }), { maxRecordCount: 10 });
    const e = j.extent as Record<string, unknown>;
    assert.deepEqual(e.spatialReference, { wkid: 102100, latestWkid: 3857 });
    assert.ok((e.xmax as number) > 2e7);
  });
});

describe('serviceJson', () => {
  test('layers and tables, the union extent in the first layer SR, maxRecordCount, capabilities', () => {
    const a = testLayer({ id: 0, name: 'A', extent: { xmin: 0, ymin: 0, xmax: 1, ymax: 1 } });
    const [x, y] = toMercator(5, 6);
    const b = testLayer({
      id: 1,
      name: 'B',
      wkid: 102100,
      geometryType: 'esriGeometryPolygon',
      extent: { xmin: x, ymin: y, xmax: x, ymax: y },
    });
    const t = testLayer({ id: 2, name: 'T', geometryType: null, extent: null });
    const j = serviceJson([a, b, t], { maxRecordCount: 500, serviceDescription: 'Cities' });
    assert.equal(j.serviceDescription, 'Cities');
    assert.equal(j.maxRecordCount, 500);
    assert.equal(j.capabilities, 'Query');
    assert.equal(j.supportedQueryFormats, 'JSON, geoJSON');
    assert.deepEqual(j.spatialReference, { wkid: 4326, latestWkid: 4326 });
    assert.deepEqual(j.layers, [
      {
        id: 0,
        name: 'A',
        parentLayerId: -1,
        defaultVisibility: true,
        subLayerIds: null,
        minScale: 0,
        maxScale: 0,
        type: 'Feature Layer',
        geometryType: 'esriGeometryPoint',
      },
      {
        id: 1,
        name: 'B',
        parentLayerId: -1,
        defaultVisibility: true,
        subLayerIds: null,
        minScale: 0,
        maxScale: 0,
        type: 'Feature Layer',
        geometryType: 'esriGeometryPolygon',
      },
    ]);
    assert.deepEqual(j.tables, [{ id: 2, name: 'T', type: 'Table' }]);
    const full = j.fullExtent as Record<string, number>;
    assert.equal(full.xmin, 0);
    assert.ok(Math.abs(full.xmax! - 5) < 1e-9 && Math.abs(full.ymax! - 6) < 1e-9);
    assert.deepEqual(j.initialExtent, j.fullExtent);
  });
});
