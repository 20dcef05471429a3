/**
 * CORS on a GIS server's REST API: the pages of the portal it is federated with (and origins
 * its administrator configured) may read /arcgis/rest/* answers; nobody else, and never the
 * administrator API. Real server over loopback HTTPS, federated with a portal-like listener.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch } from 'undici';
import { type FakePortal, startFakePortal, startTestServer, type TestServer } from './test-federation.ts';

const CONFIGURED = 'https://maps.example.org';
const STRANGER = 'https://evil.example.org';

describe('CORS on a federated GIS server', () => {
  let s: TestServer;
  let portal: FakePortal;
  let home: string;
  let dispatcher: Agent;

  const request = (
    path: string,
    origin: string,
    init: { method?: string; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${s.server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { origin, ...init.headers },
      dispatcher,
    });
  const allowedFor = async (path: string, origin: string, method = 'GET') => {
    const res = await request(
      path,
      origin,
      method === 'POST' ? { method, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {},
    );
    await res.arrayBuffer();
    return res.headers.get('access-control-allow-origin');
  };
  const preflight = async (path: string, origin: string) => {
    const res = await request(path, origin, {
      method: 'OPTIONS',
      headers: {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-esri-authorization',
      },
    });
    await res.arrayBuffer();
    return res;
  };
  const configUpdate = (params: Record<string, string>) =>
    s.call('/arcgis/admin/security/config/update', { token: s.adminToken, ...params });

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-gis-cors-'));
    writeFileSync(join(home, 'meridian.json'), JSON.stringify({ cors: { allowedOrigins: CONFIGURED } }));
    [s, portal] = await Promise.all([startTestServer({ home }), startFakePortal()]);
    dispatcher = new Agent({ connect: { ca: s.server.caCertPem } });
  });
  after(async () => {
    await dispatcher?.close();
    await s?.close();
    await portal?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('standalone: only the configured origin may read the REST API', async () => {
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', portal.url), null);
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', STRANGER), null);
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', CONFIGURED), CONFIGURED);
  });

  test("federated: the portal's pages may read /arcgis/rest/* (GET, POST, preflight); others may not", async () => {
    const answer = await configUpdate({
      authenticationTier: 'ARCGIS_PORTAL',
      portalProperties: portal.properties(),
    });
    assert.equal(answer.status, 'success', JSON.stringify(answer));
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', portal.url), portal.url);
    assert.equal(await allowedFor('/arcgis/rest/services?f=json', portal.url, 'POST'), portal.url);
    assert.equal(await allowedFor('/arcgis/rest/services?f=json', CONFIGURED), CONFIGURED);
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', STRANGER), null);
    // An origin is scheme, host and port: the portal's host on another port is another origin.
    const otherPort = portal.url.replace(/:(\d+)$/, (_m, p) => `:${Number(p) + 1}`);
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', otherPort), null);

    const ok = await preflight('/arcgis/rest/services/x/FeatureServer/0/query', portal.url);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), portal.url);
    assert.match(ok.headers.get('access-control-allow-methods') ?? '', /GET.*POST/);
    assert.match(ok.headers.get('access-control-allow-headers') ?? '', /X-Esri-Authorization/i);
    assert.equal(ok.headers.get('access-control-allow-credentials'), null, 'never with credentials');
    const refused = await preflight('/arcgis/rest/services/x/FeatureServer/0/query', STRANGER);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    assert.equal(refused.headers.get('access-control-allow-methods'), null);
  });

  test('the administrator API is never open cross-origin, not even to the portal', async () => {
    assert.equal(await allowedFor('/arcgis/admin/security/config?f=json', portal.url), null);
    assert.equal(await allowedFor('/arcgis/admin/generateToken?f=json', CONFIGURED, 'POST'), null);
  });

  test("unfederated: the portal's origin is no longer allowed", async () => {
    const answer = await configUpdate({ authenticationTier: 'GIS_SERVER', portalProperties: '{}' });
    assert.equal(answer.status, 'success', JSON.stringify(answer));
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', portal.url), null);
    assert.equal(await allowedFor('/arcgis/rest/info?f=json', CONFIGURED), CONFIGURED);
  });
});
