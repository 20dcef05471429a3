/**
 * Real clients against a federated GIS server, each side its own process with its own CA:
 * `meridian server publish` run from another directory (the item appears on the portal), the
 * portal's publish endpoint (an item published to its hosting server),
 * @esri/arcgis-rest-js unmodified, signed in to the PORTAL, querying the server's service
 * (portals/self → rest/info → owningSystemUrl → generateToken with serverUrl), GDAL's ogr2ogr
 * paging past maxRecordCount with a server token. Bad input: gis-bad-input.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { queryAllFeatures, queryFeatures } from '@esri/arcgis-rest-feature-service';
import { ArcGISIdentityManager } from '@esri/arcgis-rest-request';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { cli } from '../packages/cli/src/commands/test-cli.ts';
import { gridPoints, inBox, pointsGeoJson } from './gis/points.ts';
import { eventually, type Json, PORTAL_ADMIN_PASSWORD, type Sites, startSites } from './gis/sites.ts';

const POINTS = gridPoints(5000);
const MAX_RECORD_COUNT = 2000;

describe('real clients against a federated GIS server (two processes)', () => {
  let sites: Sites;
  let portalToken: string;
  let work: string;
  let layer: string;
  let serverToken: string;
  const previous = getGlobalDispatcher();

  before(async () => {
    sites = await startSites('gis-interop');
    portalToken = await sites.portalToken();
    const { answer } = await sites.federate(portalToken);
    assert.equal(answer.status, 'success', JSON.stringify(answer));
    work = join(sites.dir, 'work');
    mkdirSync(join(work, 'data'), { recursive: true });
    writeFileSync(join(work, 'data', 'points.geojson'), pointsGeoJson(POINTS));
    layer = `${sites.server.root}/rest/services/field/Points5k/FeatureServer/0`;
  });

  after(async () => {
    setGlobalDispatcher(previous);
    await sites?.close();
  });

  test('meridian server publish from another directory: 5,000 points; the item appears on the portal', async () => {
    const r = await cli(
      [
        'server',
        'publish',
        'data/points.geojson',
        '--name',
        'Points5k',
        '--folder',
        'field',
        '--home',
        sites.server.home,
      ],
      '',
      { cwd: work, env: { ...process.env, MERIDIAN_LOG_LEVEL: 'warn' } },
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /Published field\/Points5k \(private, 5000 features\)/, r.stdout);
    assert.ok(r.stdout.includes(`${sites.server.root}/rest/services/field/Points5k/FeatureServer`), r.stdout);
    // The command waits for the running server to register it at the portal, and says so.
    assert.match(r.stdout, /Registered at the portal https:\/\/\S+: item \w+/, r.stdout);

    // The server registers the service at the portal (its outbox): a private Feature Service
    // item with the service URL, owned by the publisher.
    const search = () =>
      sites.call(`${sites.portalUrl}/sharing/rest/search`, {
        q: 'type:"Feature Service"',
        token: portalToken,
      });
    const found = await eventually(search, (s: Json) =>
      (s.results ?? []).some((i: Json) => /Points5k/.test(i.url ?? '')),
    );
    const item = found.results.find((i: Json) => /Points5k/.test(i.url ?? ''));
    assert.ok(item, `no item: ${JSON.stringify(found).slice(0, 500)}`);
    assert.equal(
      item.url.toLowerCase(),
      `${sites.server.root}/rest/services/field/Points5k/FeatureServer`.toLowerCase(),
    );
    assert.equal(item.owner, 'admin');
    assert.equal(item.access, 'private');
    // The running server hears of the command's change on its bus (within about a second).
    const adminToken = await sites.server.adminToken();
    const listed = await eventually(
      () => sites.get(`${sites.server.root}/admin/services/field`, { token: adminToken }),
      (l: Json) => Boolean(l.services?.some((s: Json) => s.portalItemId)),
      10_000,
    );
    const svc = listed.services?.find((s: Json) => s.serviceName === 'Points5k');
    assert.equal(svc?.portalItemId, item.id, JSON.stringify(listed));

    const t = await sites.serverToken(portalToken);
    assert.ok(t.token, JSON.stringify(t));
    serverToken = t.token;
    const count = await sites.get(`${layer}/query`, {
      where: '1=1',
      returnCountOnly: 'true',
      token: serverToken,
    });
    assert.equal(count.count, POINTS.length, JSON.stringify(count));
  });

  test("the portal's publish endpoint: a GeoJSON item becomes a Feature Service on the hosting server", async () => {
    const added = await sites.upload(
      `${sites.portalUrl}/sharing/rest/content/users/admin/addItem`,
      { token: portalToken, type: 'GeoJson', title: 'Survey points', tags: 'survey' },
      { file: { name: 'survey.geojson', data: pointsGeoJson(POINTS) } },
    );
    assert.ok(added.id, JSON.stringify(added));
    const answer = await sites.call(`${sites.portalUrl}/sharing/rest/content/users/admin/publish`, {
      token: portalToken,
      itemId: added.id,
      filetype: 'geojson',
      publishParameters: JSON.stringify({ name: 'Survey' }),
    });
    const started = answer.services?.[0];
    assert.ok(started?.jobId, JSON.stringify(answer));
    const status = await eventually(
      () =>
        sites.call(`${sites.portalUrl}/sharing/rest/content/users/admin/items/${added.id}/status`, {
          token: portalToken,
          jobId: started.jobId,
          jobType: 'publish',
        }),
      (r: Json) => r.status !== 'processing',
      60_000,
    );
    assert.equal(status.status, 'completed', JSON.stringify(status));
    const item = await sites.call(`${sites.portalUrl}/sharing/rest/content/items/${status.serviceItemId}`, {
      token: portalToken,
    });
    assert.equal(item.type, 'Feature Service');
    assert.equal(item.owner, 'admin');
    assert.equal(item.title, 'Survey points');
    const t2 = await sites.serverToken(portalToken);
    const count = await sites.get(`${item.url}/0/query`, {
      where: '1=1',
      returnCountOnly: 'true',
      token: t2.token,
    });
    assert.equal(count.count, POINTS.length, JSON.stringify(count));
  });

  test('arcgis-rest-js signed in to the portal: queryFeatures (where, outFields, bbox) and queryAllFeatures', async () => {
    assert.ok(serverToken, 'needs the published service');
    // The client uses Node's global fetch: trust both CAs there, as NODE_EXTRA_CA_CERTS would.
    setGlobalDispatcher(new Agent({ connect: { ca: [sites.portal.caPem, sites.server.caPem] } }));
    const session = await ArcGISIdentityManager.signIn({
      username: 'admin',
      password: PORTAL_ADMIN_PASSWORD,
      portal: `${sites.portalUrl}/sharing/rest`,
    });
    const box: [number, number, number, number] = [10.105, 50.105, 10.305, 50.305];
    const expected = inBox(POINTS, box).filter((p) => p.rank === 3);
    assert.ok(expected.length > 10);
    const envelope = {
      xmin: box[0],
      ymin: box[1],
      xmax: box[2],
      ymax: box[3],
      spatialReference: { wkid: 4326 },
    };
    const page = (await queryFeatures({
      url: layer,
      where: 'rank = 3',
      outFields: ['name', 'rank'],
      geometry: envelope,
      geometryType: 'esriGeometryEnvelope',
      spatialRel: 'esriSpatialRelIntersects',
      inSR: '4326',
      outSR: '4326',
      authentication: session,
    })) as Json;
    assert.deepEqual(
      page.features.map((f: Json) => f.attributes.name).sort(),
      expected.map((p) => p.name).sort(),
    );
    assert.ok(page.features.every((f: Json) => f.attributes.rank === 3));
    // The service is private: only the server token the client got from the portal opens it.
    assert.equal((await sites.get(`${layer}/query`, { where: '1=1' })).error?.code, 499);

    const all = (await queryAllFeatures({
      url: layer,
      outFields: ['name'],
      authentication: session,
    })) as Json;
    const oids = all.features.map(
      (f: Json) => f.attributes.OBJECTID ?? f.attributes.objectid ?? f.attributes.FID,
    );
    assert.equal(oids.length, POINTS.length);
    assert.equal(new Set(oids).size, POINTS.length, 'every feature exactly once');
    assert.deepEqual(
      new Set(all.features.map((f: Json) => f.attributes.name)),
      new Set(POINTS.map((p) => p.name)),
    );
  });

  test('GDAL ogr2ogr pages past maxRecordCount with a server token: every feature exactly once', async () => {
    assert.ok(serverToken, 'needs the published service');
    const caFile = join(sites.dir, 'gis-server-ca.pem');
    writeFileSync(caFile, sites.server.caPem);
    const out = join(sites.dir, 'gdal.geojson');
    const url = `${layer}/query?${new URLSearchParams({ where: '1=1', outFields: '*', f: 'json', token: serverToken })}`;
    const first = await sites.get(`${layer}/query`, { where: '1=1', outFields: '*', token: serverToken });
    assert.equal(first.features.length, MAX_RECORD_COUNT, 'the first page is capped');
    assert.equal(first.exceededTransferLimit, true);
    await promisify(execFile)('ogr2ogr', ['-f', 'GeoJSON', out, `ESRIJSON:${url}`], {
      env: { ...process.env, GDAL_CURL_CA_BUNDLE: caFile, CURL_CA_BUNDLE: caFile, CPL_DEBUG: 'OFF' },
      timeout: 60_000,
    });
    const got = JSON.parse(readFileSync(out, 'utf8')) as Json;
    const names = got.features.map((f: Json) => f.properties.name);
    assert.equal(names.length, POINTS.length);
    assert.equal(new Set(names).size, POINTS.length, 'no feature twice');
    const oids = got.features.map((f: Json) => f.properties.OBJECTID);
    assert.equal(new Set(oids).size, POINTS.length);
  });
});
