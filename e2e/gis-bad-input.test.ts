/**
 * Bad input to a federated GIS server over HTTPS (portal and server each their own process),
 * published and queried with the portal's server token as a client would: a malformed GeoJSON
 * fails its publish job naming the feature and leaves no service and no portal item; where
 * injection attempts and absurd geometries are 400 in a 200 body; a huge resultRecordCount is a
 * capped page with exceededTransferLimit. Never a 500 (every answer is checked to be HTTP 200).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gridPoints, pointsGeoJson } from './gis/points.ts';
import { eventually, type Json, type Sites, startSites } from './gis/sites.ts';

const POINTS = gridPoints(2500);

describe('bad input to a federated GIS server over HTTPS', () => {
  let sites: Sites;
  let portalToken: string;
  let token: string;
  let layer: string;

  /** createService with the portal's server token; answers the finished job. */
  const publish = async (name: string, data: string) => {
    const started = await sites.upload(
      `${sites.server.root}/admin/services/createService`,
      { service: JSON.stringify({ serviceName: name, type: 'FeatureServer' }), token },
      { file: { name: `${name}.geojson`, data } },
    );
    assert.equal(started.status, 'success', JSON.stringify(started));
    return eventually(
      () => sites.get(`${sites.server.root}/admin/jobs/${started.jobId}`, { token }),
      (j: Json) => ['succeeded', 'failed', 'cancelled'].includes(j.status),
    );
  };
  const query = (params: Record<string, string>) => sites.get(`${layer}/query`, { token, ...params });

  before(async () => {
    sites = await startSites('gis-bad-input');
    portalToken = await sites.portalToken();
    const { answer } = await sites.federate(portalToken);
    assert.equal(answer.status, 'success', JSON.stringify(answer));
    const t = await sites.serverToken(portalToken);
    assert.ok(t.token, JSON.stringify(t));
    token = t.token;
    const job = await publish('Grid', pointsGeoJson(POINTS));
    assert.equal(job.status, 'succeeded', JSON.stringify(job));
    layer = `${sites.server.root}/rest/services/Grid/FeatureServer/0`;
  });

  after(async () => {
    await sites?.close();
  });

  test('a malformed GeoJSON: the publish job fails naming the feature; no service, no portal item', async () => {
    const features = POINTS.slice(0, 5).map((p) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.x, p.y] },
      properties: { name: p.name },
    }));
    (features[3] as Json).geometry = { type: 'Point', coordinates: ['ten', 50] };
    const job = await publish('Broken', JSON.stringify({ type: 'FeatureCollection', features }));
    assert.equal(job.status, 'failed', JSON.stringify(job));
    // The fourth feature (index 3): the message names it.
    assert.match(job.error.message, /feature[^.]*\b(3|4|#4|\[3\])\b/i, job.error.message);
    const service = await sites.get(`${sites.server.root}/rest/services/Broken/FeatureServer`, { token });
    assert.equal(service.error?.code, 404, JSON.stringify(service));
    const listed = await sites.get(`${sites.server.root}/admin/services`, { token });
    assert.deepEqual(
      listed.services.map((s: Json) => s.serviceName),
      ['Grid'],
    );
    const items = await sites.call(`${sites.portalUrl}/sharing/rest/search`, {
      q: 'type:"Feature Service"',
      token: portalToken,
    });
    assert.deepEqual(
      items.results.map((i: Json) => i.title),
      ['Grid'],
    );
  });

  test('where injection attempts are 400 in a 200 body, naming the problem', async () => {
    for (const where of [
      "name = 'pt-1'; DROP TABLE gis_services",
      "name = 'pt-1' --",
      "name = 'pt-1' /* */ OR 1=1",
      '1=1) UNION SELECT * FROM sqlite_master --',
      'rank = (SELECT 1)',
      "name = 'pt-1'' OR ''1''=''1",
      'pg_sleep(5) IS NULL',
    ]) {
      const r = await query({ where, outFields: '*' });
      assert.equal(r.error?.code, 400, `${where}: ${JSON.stringify(r).slice(0, 300)}`);
      assert.ok(r.error.message.length > 10, where);
    }
    // The table is intact and a quoted value with a quote in it is data, not SQL.
    const quoted = await query({ where: "name = 'pt-1'' OR ''1''=''1'", returnCountOnly: 'true' });
    assert.equal(quoted.count, 0, JSON.stringify(quoted));
    assert.equal((await query({ where: '1=1', returnCountOnly: 'true' })).count, POINTS.length);
  });

  test('absurd geometries are 400 in a 200 body', async () => {
    const cases: Record<string, string>[] = [
      { geometry: '{"xmin":"west","ymin":0,"xmax":1,"ymax":1}', geometryType: 'esriGeometryEnvelope' },
      { geometry: '{"xmin":1e400,"ymin":0,"xmax":1,"ymax":1}', geometryType: 'esriGeometryEnvelope' },
      { geometry: '{"rings":[[[0,0],[1]]]}', geometryType: 'esriGeometryPolygon' },
      { geometry: '{"x":10,"y":50', geometryType: 'esriGeometryPoint' },
      { geometry: '10,50,11', geometryType: 'esriGeometryEnvelope' },
      { geometry: '{"xmin":0,"ymin":0,"xmax":1,"ymax":1}', geometryType: 'esriGeometryBanana' },
      { geometry: '{"xmin":0,"ymin":0,"xmax":1,"ymax":1}', inSR: '999999' },
    ];
    for (const c of cases) {
      const r = await query({ where: '1=1', ...c });
      assert.equal(r.error?.code, 400, `${JSON.stringify(c)}: ${JSON.stringify(r).slice(0, 300)}`);
    }
  });

  test('resultRecordCount=1000000 is a capped page with exceededTransferLimit (json and geojson)', async () => {
    const r = await query({ where: '1=1', outFields: 'name', resultRecordCount: '1000000' });
    assert.ok(!r.error, JSON.stringify(r).slice(0, 300));
    assert.equal(r.features.length, 2000);
    assert.equal(r.exceededTransferLimit, true);
    const g = await query({ where: '1=1', resultRecordCount: '1000000', resultOffset: '1000', f: 'geojson' });
    assert.equal(g.features.length, 1500);
    assert.equal(g.properties?.exceededTransferLimit ?? false, false, 'the last page is not cut');
  });
});
