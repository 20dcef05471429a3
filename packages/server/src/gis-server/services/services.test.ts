/**
 * Feature services end to end on a real GIS server (loopback HTTPS, its own CA, SQLite):
 * publishing GeoJSON and CSV through the admin API (a job), the directory and the
 * FeatureServer resources, every query mode by GET and POST, the page cap and
 * exceededTransferLimit, bad input answered as errors (never a 500), access to private
 * services, deletion, and a restart that keeps the services.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Json, pointsGeoJson, startTestServer, type TestServer } from './test-server.ts';

const CSV =
  'name,Latitude,Longitude,visitors\nCentral,52.52,13.405,1200\n"Park, ""North""",53.55,9.99,80\nSouth,48.14,11.58,\n';

describe('feature services over HTTPS (SQLite)', () => {
  let home: string;
  let t: TestServer;
  const Q = '/arcgis/rest/services/city/Parks/FeatureServer/0/query';
  const query = (
    params: Record<string, string>,
    method: 'GET' | 'POST' = 'GET',
    token?: string,
  ): Promise<Json> => t.call(Q, params, { method, token: token ?? t.adminToken });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-services-'));
    t = await startTestServer(home);
    const created = await t.createService(
      { serviceName: 'Parks', type: 'FeatureServer', folderName: 'city', description: 'Parks of the city' },
      { name: 'parks.geojson', body: pointsGeoJson(2500) },
    );
    assert.equal(created.status, 'success', JSON.stringify(created));
    assert.equal(created.serviceUrl, `${t.server.url}/arcgis/rest/services/city/Parks/FeatureServer`);
    const job = await t.waitJob(created.jobId);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.kind, 'gis-server.publish');
    assert.equal(job.result.serviceUrl, created.serviceUrl);
  });
  after(async () => {
    await t?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('the directory lists folders and services; names match without case', async () => {
    const root = await t.call('/arcgis/rest/services');
    assert.deepEqual(root.folders, ['city']);
    assert.deepEqual(root.services, []);
    const anonymousFolder = await t.call('/arcgis/rest/services/CITY');
    assert.deepEqual(anonymousFolder.services, [], 'a private service is not listed to an anonymous caller');
    const folder = await t.call('/arcgis/rest/services/city', {}, { token: t.adminToken });
    assert.deepEqual(folder.services, [{ name: 'city/Parks', type: 'FeatureServer' }]);
    const svc = await t.call('/arcgis/rest/services/City/PARKS/FeatureServer', {}, { token: t.adminToken });
    assert.equal(svc.layers[0].id, 0);
    assert.equal(svc.maxRecordCount, 2000);
    const missing = await t.call('/arcgis/rest/services/nowhere', {}, { token: t.adminToken });
    assert.equal(missing.error.code, 404);
    const noService = await t.call(
      '/arcgis/rest/services/city/Lakes/FeatureServer',
      {},
      { token: t.adminToken },
    );
    assert.equal(noService.error.code, 404);
    assert.match(noService.error.message, /city\/Lakes/);
  });

  test('the layer and layers resources describe the fields, extent and page size', async () => {
    const layer = await t.call(
      '/arcgis/rest/services/city/parks/FeatureServer/0',
      {},
      { token: t.adminToken },
    );
    assert.equal(layer.geometryType, 'esriGeometryPoint');
    assert.equal(layer.maxRecordCount, 2000);
    assert.ok(layer.fields.some((f: Json) => f.type === 'esriFieldTypeOID'));
    assert.ok(layer.fields.some((f: Json) => f.name === 'name' && f.type === 'esriFieldTypeString'));
    assert.equal(layer.extent.spatialReference.wkid, 4326);
    const layers = await t.call(
      '/arcgis/rest/services/city/Parks/FeatureServer/layers',
      {},
      { token: t.adminToken },
    );
    assert.equal(layers.layers.length, 1);
    const pretty = await t.text('/arcgis/rest/services/city/Parks/FeatureServer/0', { token: t.adminToken });
    assert.match(pretty, /^\{\n {2}"/, 'f=pjson is pretty-printed');
    const badLayer = await t.call(
      '/arcgis/rest/services/city/Parks/FeatureServer/7',
      {},
      { token: t.adminToken },
    );
    assert.equal(badLayer.error.code, 404);
  });

  test('every query mode, by GET and by form POST', async () => {
    for (const method of ['GET', 'POST'] as const) {
      const some = await query({ where: "kind = 'odd' AND rank < 10", outFields: 'name,rank' }, method);
      assert.deepEqual(
        some.features.map((f: Json) => f.attributes.rank),
        [1, 3, 5, 7, 9],
      );
      assert.equal(typeof some.features[0].geometry.x, 'number');
      assert.ok(!some.exceededTransferLimit);
      const count = await query({ where: '1=1', returnCountOnly: 'true' }, method);
      assert.equal(count.count, 2500);
      const ids = await query({ where: 'rank >= 2495', returnIdsOnly: 'true' }, method);
      assert.deepEqual(ids.objectIds, [2496, 2497, 2498, 2499, 2500]);
      assert.ok(ids.objectIdFieldName);
    }
    const extent = await query({ where: 'rank < 2', returnExtentOnly: 'true' });
    assert.equal(extent.extent.xmin, 10);
    assert.equal(extent.extent.xmax, 10.01);
    const bbox = await query({ where: 'rank < 2', returnExtentOnly: 'true', f: 'geojson' });
    assert.deepEqual(
      bbox.bbox.map((v: number) => Math.round(v * 100) / 100),
      [10, 50, 10.01, 50],
    );
    const geo = await query({ where: 'rank = 0', outFields: '*', f: 'geojson' });
    assert.equal(geo.type, 'FeatureCollection');
    assert.deepEqual(geo.features[0].geometry, { type: 'Point', coordinates: [10, 50] });
    assert.equal(geo.features[0].properties.name, 'p0');
    const box = await query({
      geometry: JSON.stringify({ xmin: 9.999, ymin: 49.999, xmax: 10.025, ymax: 50.005 }),
      geometryType: 'esriGeometryEnvelope',
      spatialRel: 'esriSpatialRelEnvelopeIntersects',
      outFields: 'rank',
      returnGeometry: 'false',
    });
    assert.deepEqual(
      box.features.map((f: Json) => f.attributes.rank),
      [0, 1, 2],
    );
    const stats = await query({
      outStatistics: JSON.stringify([
        { statisticType: 'count', onStatisticField: 'rank', outStatisticFieldName: 'n' },
      ]),
      groupByFieldsForStatistics: 'kind',
      orderByFields: 'kind',
    });
    assert.deepEqual(
      stats.features.map((f: Json) => [f.attributes.kind, f.attributes.n]),
      [
        ['even', 1250],
        ['odd', 1250],
      ],
    );
    const web = await query({ where: 'rank = 0', outSR: '102100' });
    assert.ok(Math.abs(web.features[0].geometry.x - 1113194.9) < 1);
  });

  test('a long objectIds list comes as a form POST (~100 KB)', async () => {
    const ids = Array.from({ length: 2500 }, (_, i) => i + 1);
    const list = Array.from({ length: 9000 }, (_, i) =>
      String(ids[i % ids.length]! + 1_000_000 * Math.floor(i / 2500)),
    );
    const body = list.join(',');
    assert.ok(body.length > 60_000);
    const res = await query({ objectIds: body, returnCountOnly: 'true' }, 'POST');
    assert.equal(res.count, 2500, JSON.stringify(res).slice(0, 300));
  });

  test('pages are capped at maxRecordCount with exceededTransferLimit, with or without paging parameters', async () => {
    const first = await query({ where: '1=1', outFields: 'rank', returnGeometry: 'false' });
    assert.equal(first.features.length, 2000);
    assert.equal(first.exceededTransferLimit, true);
    const huge = await query({
      where: '1=1',
      returnGeometry: 'false',
      resultOffset: '0',
      resultRecordCount: '1000000',
    });
    assert.equal(huge.features.length, 2000, 'a huge resultRecordCount is capped, not refused');
    assert.equal(huge.exceededTransferLimit, true);
    const last = await query({
      where: '1=1',
      outFields: 'rank',
      returnGeometry: 'false',
      resultOffset: '2000',
      resultRecordCount: '1000',
    });
    assert.equal(last.features.length, 500);
    assert.ok(!last.exceededTransferLimit);
    assert.equal(last.features[0].attributes.rank, 2000, 'pages follow the object id');
    const small = await query({ where: '1=1', returnGeometry: 'false', resultRecordCount: '10' });
    assert.equal(small.features.length, 10);
    assert.equal(small.exceededTransferLimit, true);
    const geo = await query({ where: '1=1', f: 'geojson' });
    assert.equal(geo.features.length, 2000);
    assert.equal(geo.properties.exceededTransferLimit, true);
    const geoLast = await query({ where: '1=1', f: 'geojson', resultOffset: '2400' });
    assert.equal(geoLast.features.length, 100);
    assert.ok(!geoLast.properties?.exceededTransferLimit);
  });

  test('bad input is an error naming the problem, never a 500', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ where: '1=1; DROP TABLE gis_services' }, /where/i],
      [{ where: "name = 'a' OR 1=1 --" }, /where/i],
      [{ where: 'nosuchfield = 1' }, /nosuchfield/],
      [{ geometry: '{"xmin":"a"}' }, /geometry/i],
      [{ geometry: `{"xmin":1,"ymin":1,"xmax":1e999,"ymax":2}` }, /geometry/i],
      [
        { geometry: '{"rings":[[[0,0],[1e308,1e308]]]}', geometryType: 'esriGeometryPolygon' },
        /geometry|ring/i,
      ],
      [{ objectIds: '1,two,3' }, /objectIds/],
      [{ resultRecordCount: '-5' }, /resultRecordCount/],
      [{ outSR: '999999' }, /999999/],
      [{ f: 'kml' }, /f|kml/i],
    ];
    for (const [params, message] of cases) {
      const r = await query({ where: '1=1', ...params });
      assert.ok(r.error, `${JSON.stringify(params)} → ${JSON.stringify(r).slice(0, 200)}`);
      assert.equal(r.error.code, 400, `${JSON.stringify(params)} → ${JSON.stringify(r.error)}`);
      assert.match(`${r.error.message} ${r.error.details.join(' ')}`, message);
    }
    const still = await query({ returnCountOnly: 'true' });
    assert.equal(still.count, 2500, 'nothing was dropped');
  });

  test('a malformed GeoJSON fails its job naming the feature, and leaves nothing behind', async () => {
    const bad = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { a: 1 }, geometry: { type: 'Point', coordinates: [1, 2] } },
        { type: 'Feature', properties: { a: 2 }, geometry: { type: 'Point', coordinates: ['x', 2] } },
      ],
    });
    const created = await t.createService(
      { serviceName: 'Broken', type: 'FeatureServer' },
      { name: 'b.geojson', body: bad },
    );
    assert.equal(created.status, 'success', JSON.stringify(created));
    const job = await t.waitJob(created.jobId);
    assert.equal(job.status, 'failed');
    assert.match(job.error.message, /feature/i);
    assert.match(job.error.message, /\b1\b|\b2\b/, 'names the bad feature');
    const svc = await t.call('/arcgis/rest/services/Broken/FeatureServer', {}, { token: t.adminToken });
    assert.equal(svc.error.code, 404, 'no service left behind');
    assert.deepEqual(readdirSync(join(home, 'publish')), [], 'the upload was removed');
    const again = await t.createService(
      { serviceName: 'Broken', type: 'FeatureServer' },
      { name: 'b.geojson', body: pointsGeoJson(3) },
    );
    assert.equal((await t.waitJob(again.jobId)).status, 'succeeded', 'the name is free again');
  });

  test('createService refuses bad definitions before reading the data', async () => {
    const taken = await t.createService(
      { serviceName: 'PARKS', folderName: 'City' },
      { name: 'p.geojson', body: pointsGeoJson(1) },
    );
    assert.deepEqual([taken.status, taken.errorCode], ['error', 'gis.service_exists']);
    const badName = await t.createService(
      { serviceName: 'my parks!' },
      { name: 'p.geojson', body: pointsGeoJson(1) },
    );
    assert.equal(badName.errorCode, 'gis.bad_service_name');
    const badType = await t.createService(
      { serviceName: 'X', type: 'MapServer' },
      { name: 'p.geojson', body: '{}' },
    );
    assert.equal(badType.errorCode, 'gis.bad_service_definition');
    const noFormat = await t.createService({ serviceName: 'X' }, { name: 'data.txt', body: 'a' });
    assert.match(noFormat.messages[0], /fileType/);
    const user = await t.tokenOf('reader', 'org_user');
    const refused = await t.createService(
      { serviceName: 'X' },
      { name: 'p.geojson', body: pointsGeoJson(1) },
      { token: user },
    );
    assert.equal(refused.code, 403);
    const anonymous = await t.createService(
      { serviceName: 'X' },
      { name: 'p.geojson', body: pointsGeoJson(1) },
      { token: '' },
    );
    assert.equal(anonymous.code, 499);
  });

  test('CSV with quoted fields and lat/lon columns, published with fileType', async () => {
    const created = await t.createService(
      { serviceName: 'Sites', type: 'FeatureServer', access: 'public' },
      { name: 'upload.bin', body: CSV },
      { fileType: 'csv' },
    );
    const job = await t.waitJob(created.jobId);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const r = await t.call('/arcgis/rest/services/Sites/FeatureServer/0/query', {
      where: '1=1',
      outFields: '*',
    });
    assert.equal(r.features.length, 3, 'a public service needs no token');
    assert.equal(r.features[1].attributes.name, 'Park, "North"');
    assert.deepEqual([r.features[0].geometry.x, r.features[0].geometry.y], [13.405, 52.52]);
    const root = await t.call('/arcgis/rest/services');
    assert.ok(root.services.some((s: Json) => s.name === 'Sites'));
  });

  test('a private service wants a token (499), refuses a bad one (498), serves a signed-in user', async () => {
    const anonymous = await query({ where: '1=1' }, 'GET', '');
    assert.equal(anonymous.error.code, 499);
    const forged = await query({ where: '1=1' }, 'GET', 'v1.nope.nope.nope');
    assert.equal(forged.error.code, 498);
    const reader = await t.tokenOf('reader', 'org_user');
    assert.equal((await query({ returnCountOnly: 'true' }, 'GET', reader)).count, 2500);
  });

  test('the admin API lists, describes, sets the portal item of, and deletes services', async () => {
    const created = await t.createService(
      { serviceName: 'Temp', type: 'FeatureServer' },
      { name: 't.geojson', body: pointsGeoJson(5) },
    );
    await t.waitJob(created.jobId);
    const root = await t.call('/arcgis/admin/services', {}, { token: t.adminToken });
    assert.ok(root.folders.includes('city'));
    assert.ok(root.services.some((s: Json) => s.serviceName === 'Temp' && s.folderName === '/'));
    const city = await t.call('/arcgis/admin/services/city', {}, { token: t.adminToken });
    assert.deepEqual(
      city.services.map((s: Json) => [s.folderName, s.serviceName, s.type]),
      [['city', 'Parks', 'FeatureServer']],
    );
    const one = await t.call('/arcgis/admin/services/city/Parks.FeatureServer', {}, { token: t.adminToken });
    assert.equal(one.layers[0].featureCount, 2500);
    const set = await t.call(
      '/arcgis/admin/services/Temp.FeatureServer/setPortalItem',
      { itemId: 'abc123' },
      { method: 'POST', token: t.adminToken },
    );
    assert.equal(set.status, 'success');
    const listed = await t.call('/arcgis/admin/services', {}, { token: t.adminToken });
    assert.equal(listed.services.find((s: Json) => s.serviceName === 'Temp').portalItemId, 'abc123');
    const reader = await t.tokenOf('reader', 'org_user');
    const notAdmin = await t.call(
      '/arcgis/admin/services/Temp.FeatureServer/delete',
      {},
      { method: 'POST', token: reader },
    );
    assert.equal(notAdmin.code, 403);
    const del = await t.call(
      '/arcgis/admin/services/Temp.FeatureServer/delete',
      {},
      { method: 'POST', token: t.adminToken },
    );
    assert.equal(del.status, 'success');
    assert.equal(
      (
        await t.call(
          '/arcgis/rest/services/Temp/FeatureServer/0/query',
          { where: '1=1' },
          { token: t.adminToken },
        )
      ).error.code,
      404,
    );
    const again = await t.call(
      '/arcgis/admin/services/Temp.FeatureServer/delete',
      {},
      { method: 'POST', token: t.adminToken },
    );
    assert.equal(again.status, 'success');
    assert.match(again.message, /does not exist/);
  });

  test('a restart keeps the services', async () => {
    await t.close();
    t = await startTestServer(home);
    assert.equal((await query({ returnCountOnly: 'true' })).count, 2500);
    assert.ok(existsSync(home));
  });
});
