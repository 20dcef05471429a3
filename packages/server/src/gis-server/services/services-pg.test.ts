/**
 * The main flow of the feature services on a GIS server whose database is PostgreSQL: the
 * feature store is then PostGIS in the same database. Publish GeoJSON and CSV through the
 * admin API, query (features, ids, count, extent, cap), delete, restart. Never skipped: the
 * machine's PostgreSQL (MERIDIAN_TEST_PG_URL) must be there, with PostGIS.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { type Json, pointsGeoJson, startTestServer, type TestServer } from './test-server.ts';

describe('feature services over HTTPS (PostgreSQL + PostGIS)', () => {
  let home: string;
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let t: TestServer;
  const Q = '/arcgis/rest/services/Parks/FeatureServer/0/query';
  const query = (params: Record<string, string>, method: 'GET' | 'POST' = 'GET'): Promise<Json> =>
    t.call(Q, params, { method, token: t.adminToken });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-services-pg-'));
    pg = await createPgDatabase();
    t = await startTestServer(home, { 'database.url': pg.url });
    assert.equal(t.server.modules['gis-server'].services.store.kind, 'postgis');
  });
  after(async () => {
    await t?.close();
    await pg?.drop();
    rmSync(home, { recursive: true, force: true });
  });

  test('publish GeoJSON, query every mode, the cap', async () => {
    const created = await t.createService(
      { serviceName: 'Parks', type: 'FeatureServer' },
      { name: 'p.geojson', body: pointsGeoJson(2100) },
    );
    const job = await t.waitJob(created.jobId);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    for (const method of ['GET', 'POST'] as const) {
      const some = await query({ where: "kind = 'even' AND rank <= 6", outFields: 'rank' }, method);
      assert.deepEqual(
        some.features.map((f: Json) => f.attributes.rank),
        [0, 2, 4, 6],
      );
    }
    assert.equal((await query({ returnCountOnly: 'true' })).count, 2100);
    assert.deepEqual((await query({ where: 'rank < 3', returnIdsOnly: 'true' })).objectIds, [1, 2, 3]);
    const extent = await query({ where: 'rank < 2', returnExtentOnly: 'true' });
    assert.deepEqual([extent.extent.xmin, extent.extent.xmax], [10, 10.01]);
    const all = await query({ where: '1=1', returnGeometry: 'false' });
    assert.deepEqual([all.features.length, all.exceededTransferLimit], [2000, true]);
    const rest = await query({ where: '1=1', resultOffset: '2000', f: 'geojson' });
    assert.equal(rest.features.length, 100);
    assert.ok(!rest.properties?.exceededTransferLimit);
    const box = await query({
      geometry: '9.999,49.999,10.025,50.005',
      outFields: 'rank',
      returnGeometry: 'false',
    });
    assert.deepEqual(
      box.features.map((f: Json) => f.attributes.rank),
      [0, 1, 2],
    );
    const bad = await query({ where: "name = 'x'; DELETE FROM gis_services" });
    assert.equal(bad.error.code, 400);
  });

  test('a CSV, a failed publish leaving nothing, delete, and a restart', async () => {
    const csv = await t.createService(
      { serviceName: 'Sites', folderName: 'geo', access: 'public' },
      { name: 'sites.csv', body: 'name,lat,lon\nA,52.5,13.4\nB,48.1,11.6\n' },
    );
    assert.equal((await t.waitJob(csv.jobId)).status, 'succeeded');
    const sites = await t.call('/arcgis/rest/services/geo/Sites/FeatureServer/0/query', {
      where: "name = 'B'",
    });
    assert.deepEqual([sites.features[0].geometry.x, sites.features[0].geometry.y], [11.6, 48.1]);
    const broken = await t.createService(
      { serviceName: 'Broken' },
      { name: 'b.csv', body: 'name,lat,lon\nA,52.5,13.4\nB,north,11.6\n' },
    );
    const failed = await t.waitJob(broken.jobId);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error.message, /line 3/i);
    assert.equal(
      (await t.call('/arcgis/rest/services/Broken/FeatureServer', {}, { token: t.adminToken })).error.code,
      404,
    );
    const del = await t.call(
      '/arcgis/admin/services/geo/Sites.FeatureServer/delete',
      {},
      { method: 'POST', token: t.adminToken },
    );
    assert.equal(del.status, 'success');
    await t.close();
    t = await startTestServer(home, { 'database.url': pg.url });
    assert.equal((await query({ returnCountOnly: 'true' })).count, 2100);
    assert.equal((await t.call('/arcgis/rest/services/geo/Sites/FeatureServer', {})).error.code, 404);
  });
});
