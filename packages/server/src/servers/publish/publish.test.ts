/**
 * Publishing items from a real portal to its real hosting server (both in this process, each
 * with its own data directory and CA, federated through the portal's federate route): a
 * GeoJSON and a CSV item become Feature Service items owned by the user, whose services the
 * user queries with a server token (the data file streamed from the file store); a bad
 * feature fails the job naming it and leaves nothing; an item whose stored file is gone fails
 * naming the item, not the file's path;
 * users without the publisher role are refused; a portal without a hosting server says how to
 * get one; a server certificate no longer trusted fails with the diagnosis; a server that
 * restarts mid-publish is waited for and the dropped work reported; and with one-minute tokens on a server whose clock runs ahead (each token good for
 * about 1.2 seconds there), a publish that takes longer than any one token still succeeds.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Json, pointsGeoJson, type Site, skew, startSite } from './test-publish.ts';

describe('publishing items to the hosting server', () => {
  let site: Site;
  before(async () => {
    site = await startSite();
  });
  after(async () => {
    skew.ms = 0;
    await site?.close();
  });

  const serverToken = async (username: string) => {
    const t = await site.portal.call('/sharing/rest/generateToken', {
      token: await site.tokenOf(username),
      serverUrl: site.gis.root,
      expiration: 60,
    });
    assert.ok(t.token, JSON.stringify(t));
    return t.token as string;
  };
  const itemsWithUrl = async (url: string) => {
    const r = await site.portal.call(
      '/sharing/rest/search',
      { q: `owner:alicepub`, num: 100, token: site.adminToken },
      { method: 'GET' },
    );
    return (r.results as Json[]).filter((i) => i.url === url);
  };
  const publishGeoJson = (itemId: string, name: string) =>
    site.publish('alicepub', {
      itemId,
      filetype: 'geojson',
      publishParameters: JSON.stringify({ name }),
    });

  test('a GeoJSON item: the job completes with a Feature Service item owned by the user, whose service the user queries', async () => {
    const itemId = await site.addFileItem('alicepub', 'GeoJson', 'Town trees', {
      name: 'trees.geojson',
      body: pointsGeoJson(250),
    });
    const answer = await publishGeoJson(itemId, 'Town_trees');
    assert.equal(answer.error, undefined, JSON.stringify(answer));
    const [s] = answer.services;
    assert.equal(s.type, 'Feature Service');
    assert.equal(s.status, 'processing');
    assert.equal(s.serviceurl, `${site.gis.root}/rest/services/Town_trees/FeatureServer`);
    assert.equal(s.serverId, site.serverId);

    const job = await site.waitJob(s.jobId);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    assert.equal(job.kind, 'servers.publish');
    assert.equal(job.result.serviceurl, s.serviceurl);
    const serviceItemId = job.result.serviceItemId as string;

    const item = await site.portal.call(
      `/sharing/rest/content/items/${serviceItemId}`,
      { token: await site.tokenOf('alicepub') },
      { method: 'GET' },
    );
    assert.equal(item.type, 'Feature Service');
    assert.equal(item.owner, 'alicepub');
    assert.equal(item.url, s.serviceurl);
    assert.equal(item.title, 'Town trees');
    assert.equal(item.description, 'About Town trees');
    assert.deepEqual(item.tags, ['test', 'publish']);
    assert.equal((await itemsWithUrl(s.serviceurl)).length, 1, 'one item for the service');

    const status = await site.portal.call(
      `/sharing/rest/content/users/alicepub/items/${itemId}/status`,
      { token: await site.tokenOf('alicepub'), jobId: s.jobId, jobType: 'publish' },
      { method: 'GET' },
    );
    assert.equal(status.status, 'completed', JSON.stringify(status));
    assert.equal(status.serviceItemId, serviceItemId);

    const token = await serverToken('alicepub');
    const count = await site.gis.get('/arcgis/rest/services/Town_trees/FeatureServer/0/query', {
      where: '1=1',
      returnCountOnly: 'true',
      token,
    });
    assert.equal(count.count, 250, JSON.stringify(count));
    const anonymous = await site.gis.get('/arcgis/rest/services/Town_trees/FeatureServer/0/query', {
      where: '1=1',
      returnCountOnly: 'true',
    });
    assert.ok(anonymous.error, 'the private item keeps its service private');
  });

  test('a CSV item (lon/lat columns)', async () => {
    const rows = ['name,lon,lat,height', 'a,7.1,46.2,3', 'b,7.2,46.3,5', 'c,7.3,46.4,8'];
    const itemId = await site.addFileItem('alicepub', 'CSV', 'Peaks', {
      name: 'peaks.csv',
      body: `${rows.join('\n')}\n`,
    });
    const answer = await site.publish('alicepub', {
      itemId,
      filetype: 'csv',
      publishParameters: JSON.stringify({ name: 'Peaks', description: 'Three peaks' }),
    });
    const job = await site.waitJob(answer.services[0].jobId);
    assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
    const item = await site.portal.call(
      `/sharing/rest/content/items/${job.result.serviceItemId}`,
      { token: site.adminToken },
      { method: 'GET' },
    );
    assert.equal(item.owner, 'alicepub');
    assert.equal(item.description, 'Three peaks');
    const features = await site.gis.get('/arcgis/rest/services/Peaks/FeatureServer/0/query', {
      where: 'height > 4',
      outFields: 'name',
      orderByFields: 'name',
      token: await serverToken('alicepub'),
    });
    assert.deepEqual(
      features.features.map((f: Json) => f.attributes.name),
      ['b', 'c'],
      JSON.stringify(features),
    );
  });

  test('a bad feature: the job fails naming it, and nothing is left on the portal or the server', async () => {
    const good = JSON.parse(pointsGeoJson(5));
    good.features[3].geometry = { type: 'Point', coordinates: ['east', 50] };
    const itemId = await site.addFileItem('alicepub', 'GeoJson', 'Broken', {
      name: 'broken.geojson',
      body: JSON.stringify(good),
    });
    const answer = await publishGeoJson(itemId, 'Broken');
    const job = await site.waitJob(answer.services[0].jobId);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'servers.publish_failed', job.error.message);
    assert.match(job.error.message, /Feature 4 \(features\[3\]\)/);
    assert.deepEqual(await itemsWithUrl(answer.services[0].serviceurl), []);
    const service = await site.gis.get('/arcgis/rest/services/Broken/FeatureServer', {
      token: await serverToken('alicepub'),
    });
    assert.ok(service.error, `no service on the server: ${JSON.stringify(service)}`);
    const status = await site.portal.call(
      `/sharing/rest/content/users/alicepub/items/${itemId}/status`,
      { token: await site.tokenOf('alicepub'), jobId: answer.services[0].jobId },
      { method: 'GET' },
    );
    assert.equal(status.status, 'failed');
    assert.match(status.statusMessage, /Feature 4 \(features\[3\]\)/);
  });

  test('the item’s file gone from the file store: the job fails naming the item, not the file’s path; nothing is left', async () => {
    const body = pointsGeoJson(7);
    const itemId = await site.addFileItem('alicepub', 'GeoJson', 'Vanished', { name: 'gone.geojson', body });
    // The data file is streamed from the file store as it is sent: take it away first.
    const dir = site.portal.config.content.filesDir || join(site.portal.home, 'files');
    const stored = readdirSync(dir)
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile() && statSync(f).size === body.length)
      .filter((f) => readFileSync(f, 'utf8') === body);
    assert.equal(stored.length, 1, 'the item’s stored file');
    rmSync(stored[0]!);
    const answer = await publishGeoJson(itemId, 'Vanished');
    const job = await site.waitJob(answer.services[0].jobId);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'servers.publish_item_invalid', job.error.message);
    assert.match(
      job.error.message,
      new RegExp(`Item ${itemId} cannot be published: its data file could not be read`),
    );
    assert.ok(!job.error.message.includes(dir), 'the file store’s path stays in the log');
    assert.deepEqual(await itemsWithUrl(answer.services[0].serviceurl), []);
    const service = await site.gis.get('/arcgis/rest/services/Vanished/FeatureServer', {
      token: await serverToken('alicepub'),
    });
    assert.ok(service.error, `no service on the server: ${JSON.stringify(service)}`);
  });

  test('who may publish: a user without the publisher role, another user’s content, another user’s item', async () => {
    const bobsItem = await site.addFileItem('bobuser', 'GeoJson', 'Bob points', {
      name: 'bob.geojson',
      body: pointsGeoJson(3),
    });
    const fields = { itemId: bobsItem, filetype: 'geojson', publishParameters: '{"name":"Bob_points"}' };
    const bob = await site.publish('bobuser', fields);
    assert.equal(bob.error?.code, 403, JSON.stringify(bob));
    assert.match(bob.error.message, /portal:publisher:publishFeatures/);
    const intoBob = await site.publish('bobuser', fields, await site.tokenOf('alicepub'));
    assert.equal(intoBob.error?.code, 403, JSON.stringify(intoBob));
    const notHers = await site.publish('alicepub', fields);
    assert.equal(notHers.error?.code, 403, JSON.stringify(notHers));
    assert.match(notHers.error.message, /belongs to another user/);
  });

  test('bad input: an unknown item, a type that does not match, bad publishParameters', async () => {
    const itemId = await site.addFileItem('alicepub', 'CSV', 'Small', { name: 's.csv', body: 'x,y\n1,2\n' });
    const cases: [Record<string, string>, RegExp][] = [
      [{ itemId: 'nope', filetype: 'csv', publishParameters: '{"name":"A"}' }, /does not exist/],
      [{ itemId, filetype: 'geojson', publishParameters: '{"name":"A"}' }, /is a CSV item/],
      [{ itemId, filetype: 'shapefile', publishParameters: '{"name":"A"}' }, /use geojson or csv/],
      [{ itemId, filetype: 'csv', publishParameters: '{"title":"A"}' }, /name is missing/],
      [{ itemId, filetype: 'csv', publishParameters: 'not json' }, /not JSON/],
      [{ itemId, filetype: 'csv', publishParameters: '{"name":"A"}', outputType: 'tiles' }, /outputType/],
    ];
    for (const [fields, message] of cases) {
      const r = await site.publish('alicepub', fields);
      assert.equal(r.error?.code, 400, JSON.stringify(r));
      assert.match(r.error.message, message);
    }
  });

  test('no hosting server: the error says how to get one', async () => {
    const update = (serverRole: string) =>
      site.portal.call(`/portaladmin/federation/servers/${site.serverId}/update`, {
        token: site.adminToken,
        serverRole,
      });
    const itemId = await site.addFileItem('alicepub', 'CSV', 'Nowhere', {
      name: 'n.csv',
      body: 'x,y\n1,2\n',
    });
    assert.equal((await update('FEDERATED_SERVER')).status, 'success');
    try {
      const r = await site.publish('alicepub', {
        itemId,
        filetype: 'csv',
        publishParameters: '{"name":"Nowhere"}',
      });
      assert.equal(r.error?.code, 400, JSON.stringify(r));
      assert.match(r.error.message, /no hosting server/);
      assert.match(r.error.message, /HOSTING_SERVER/);
    } finally {
      assert.equal((await update('HOSTING_SERVER')).status, 'success');
    }
  });

  test('the server’s certificate no longer trusted: the job fails with the diagnosis and the fingerprint; nothing is left', async () => {
    const pki = site.portal.modules.pki;
    const row = await site.portal.kernel.db.kysely
      .selectFrom('federated_servers')
      .select('trust_alias')
      .where('id', '=', site.serverId)
      .executeTakeFirstOrThrow();
    assert.ok(row.trust_alias, 'the federation added a trust entry');
    const itemId = await site.addFileItem('alicepub', 'CSV', 'Untrusted', {
      name: 'u.csv',
      body: 'x,y\n1,2\n',
    });
    await pki.trust.remove(row.trust_alias);
    try {
      const answer = await site.publish('alicepub', {
        itemId,
        filetype: 'csv',
        publishParameters: '{"name":"Untrusted"}',
      });
      const job = await site.waitJob(answer.services[0].jobId);
      assert.equal(job.status, 'failed');
      assert.equal(job.error.code, 'servers.untrusted_certificate', job.error.message);
      assert.match(job.error.message, /trustPresentedCertificate=/);
      assert.deepEqual(await itemsWithUrl(answer.services[0].serviceurl), []);
    } finally {
      await pki.trust.import(row.trust_alias, site.gis.server.caCertPem);
    }
  });

  test('the server restarts mid-publish: the job waits for it, then reports that the server dropped the work; nothing is left', async () => {
    const itemId = await site.addFileItem('alicepub', 'GeoJson', 'Restarted', {
      name: 'restarted.geojson',
      body: pointsGeoJson(300_000),
    });
    const answer = await publishGeoJson(itemId, 'Restarted');
    const jobId = answer.services[0].jobId as string;
    for (;;) {
      const j = await site.portal.call(
        `/portaladmin/jobs/${jobId}`,
        { token: site.adminToken },
        { method: 'GET' },
      );
      assert.equal(j.status === 'running' || j.status === 'queued', true, JSON.stringify(j));
      if (/^Hosting server/.test(j.progress.message)) break;
      await sleep(20);
    }
    await site.gis.stop();
    await sleep(1_500);
    await site.gis.restart();
    const job = await site.waitJob(jobId);
    assert.equal(job.status, 'failed');
    assert.equal(job.error.code, 'servers.publish_server_lost', job.error.message);
    assert.match(job.error.message, /restarted/);
    assert.deepEqual(await itemsWithUrl(answer.services[0].serviceurl), []);
  });

  test('one-minute tokens, the server’s clock 58.8 s ahead: a publish longer than any one token succeeds with a fresh token per call', async () => {
    const settings = site.portal.modules.portal.settings;
    const before = (await settings.get()).maxTokenExpirationMinutes;
    await settings.update({ maxTokenExpirationMinutes: 1 });
    const itemId = await site.addFileItem('alicepub', 'GeoJson', 'Many points', {
      name: 'many.geojson',
      body: pointsGeoJson(200_000),
    });
    skew.ms = 58_800;
    try {
      // A server token from the portal now lives about 1.2 seconds at the server.
      const early = await serverToken('alicepub');
      const started = Date.now();
      const answer = await publishGeoJson(itemId, 'Many_points');
      const job = await site.waitJob(answer.services[0].jobId);
      const took = job.finished - job.started;
      assert.equal(job.status, 'succeeded', JSON.stringify(job.error));
      assert.ok(took > 1_500, `the publish took ${took} ms: longer than one token lives`);
      await sleep(Math.max(0, 1_500 - (Date.now() - started)));
      const stale = await site.gis.get('/arcgis/rest/services/Many_points/FeatureServer/0/query', {
        where: '1=1',
        returnCountOnly: 'true',
        token: early,
      });
      assert.equal(
        stale.error?.code,
        498,
        `a token from the start is expired by now: ${JSON.stringify(stale)}`,
      );
      const count = await site.gis.get('/arcgis/rest/services/Many_points/FeatureServer/0/query', {
        where: '1=1',
        returnCountOnly: 'true',
        token: await serverToken('alicepub'),
      });
      assert.equal(count.count, 200_000);
    } finally {
      skew.ms = 0;
      await settings.update({ maxTokenExpirationMinutes: before });
    }
  });
});
