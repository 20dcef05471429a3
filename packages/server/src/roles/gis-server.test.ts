/**
 * The GIS server role boots on its own: its own data directory, certificate authority and
 * certificate, its own administrator and tokens, its REST root — and none of the portal's
 * modules, tables or routes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { loadGisServerConfig, type RunningGisServer, startGisServer } from './gis-server.ts';

describe('the GIS server role', () => {
  let home: string;
  let server: RunningGisServer;
  let dispatcher: Agent;
  // biome-ignore lint/suspicious/noExplicitAny: ArcGIS JSON answers of several shapes.
  const get = async (path: string, init: Parameters<typeof fetch>[1] = {}): Promise<any> =>
    (await fetch(`${server.url}${path}`, { dispatcher, ...init })).json();

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-gis-'));
    const config = loadGisServerConfig({
      env: {},
      overrides: { home, 'https.port': 0, 'http.port': 0, bind: '127.0.0.1', 'log.level': 'silent' },
    });
    assert.equal(loadGisServerConfig({ env: {} }).https.port, 6443, 'its own default port');
    server = await startGisServer(config, { logger: false });
    dispatcher = new Agent({ connect: { ca: server.caCertPem } });
  });
  after(async () => {
    await dispatcher?.close();
    await server?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('rest/info names its own token service; the services directory answers', async () => {
    const info = await get('/arcgis/rest/info?f=json');
    assert.equal(info.authInfo.isTokenBasedSecurity, true);
    assert.equal(info.authInfo.tokenServicesUrl, `${server.url}/arcgis/tokens/generateToken`);
    assert.deepEqual(await get('/arcgis/rest/services?f=json'), {
      currentVersion: info.currentVersion,
      folders: [],
      services: [],
    });
  });

  test('its administrator gets a token of this server, which its administrator API accepts', async () => {
    const password = readFileSync(join(home, 'initial-admin-password'), 'utf8').trim();
    const anonymous = await get('/arcgis/admin?f=json');
    assert.deepEqual([anonymous.status, anonymous.code], ['error', 499], 'a token is required');
    const t = await get('/arcgis/admin/generateToken', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password, client: 'requestip', f: 'json' }).toString(),
    });
    assert.ok(t.token, JSON.stringify(t));
    assert.ok(t.expires - Date.now() <= 60 * 60_000 + 5_000, 'the server default of 60 minutes');
    const root = await get(`/arcgis/admin?f=json&token=${t.token}`);
    assert.deepEqual(root.resources, ['jobs', 'machines', 'security', 'services']);
    for (const r of root.resources) {
      const answer = await get(`/arcgis/admin/${r}?f=json&token=${t.token}`);
      assert.equal(answer.status, undefined, `/arcgis/admin/${r} answers: ${JSON.stringify(answer)}`);
    }
    const security = await get(`/arcgis/admin/security?f=json&token=${t.token}`);
    for (const r of security.resources) {
      const answer = await get(`/arcgis/admin/security/${r}?f=json&token=${t.token}`);
      assert.equal(
        answer.status,
        undefined,
        `/arcgis/admin/security/${r} answers: ${JSON.stringify(answer)}`,
      );
    }
    // rest/info's short-lived token validity is the server's live token configuration.
    assert.equal((await get('/arcgis/rest/info?f=json')).authInfo.shortLivedTokenValidity, 60);
    const update = await get('/arcgis/admin/security/tokens/update', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        tokenManagerConfig: JSON.stringify({ properties: { shortTimeout: 15, longTimeout: 600 } }),
        token: t.token,
        f: 'json',
      }).toString(),
    });
    assert.equal(update.status, 'success', JSON.stringify(update));
    assert.equal((await get('/arcgis/rest/info?f=json')).authInfo.shortLivedTokenValidity, 15);
    const wrong = await get('/arcgis/tokens/generateToken', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: 'not-it-1', f: 'json' }).toString(),
    });
    assert.match(wrong.error.details[0], /Invalid username or password/);
  });

  test('none of the portal: no Sharing API, no portal tables', async () => {
    assert.match((await get('/sharing/rest/info?f=json')).error.message, /Invalid URL/);
    assert.match((await get('/sharing/rest/search?f=json&q=a')).error.message, /Invalid URL/);
    const tables = (await server.kernel.db.kysely.introspection.getTables()).map((t) => t.name);
    for (const portalTable of ['items', 'groups', 'portal_settings'])
      assert.ok(!tables.includes(portalTable), `${portalTable} is not a GIS server table`);
    assert.ok(tables.includes('users') && tables.includes('pki_certificates'));
  });
});
