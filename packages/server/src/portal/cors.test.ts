/**
 * Browser apps on other origins (arcgis-rest-js in an app's own site) call the Sharing API:
 * answers name the calling origin when the organisation allows it (every origin until
 * allowedOrigins lists some), never allow credentials (the session cookie stays the portal's),
 * and the sign-in pages are never offered cross-origin.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';

describe('CORS on the Sharing API', () => {
  let portal: TestPortal;
  let admin: string;
  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
  });
  after(() => portal.close());

  const get = (path: string, origin?: string) =>
    portal.fetch(path, { headers: origin === undefined ? {} : { origin } });

  test('every origin by default; no credentials; Vary: Origin', async () => {
    const r = await get('/sharing/rest/portals/self?f=json', 'https://app.example.org');
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example.org');
    assert.equal(r.headers.get('access-control-allow-credentials'), null);
    assert.match(r.headers.get('vary') ?? '', /Origin/i);
    const none = await get('/sharing/rest/portals/self?f=json');
    assert.equal(none.headers.get('access-control-allow-origin'), null);
    const nullOrigin = await get('/sharing/rest/portals/self?f=json', 'null');
    assert.equal(nullOrigin.headers.get('access-control-allow-origin'), null);
  });

  test('a preflight for the token endpoint gets the methods and headers clients send', async () => {
    const r = await portal.fetch('/sharing/rest/oauth2/token', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-esri-authorization',
      },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example.org');
    assert.match(r.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /X-Esri-Authorization/i);
  });

  test('the sign-in pages are not offered cross-origin', async () => {
    const r = await get('/sharing/rest/oauth2/authorize?client_id=arcgisonline', 'https://app.example.org');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  });

  test('allowedOrigins limits the origins; a malformed one is refused, naming it', async () => {
    const bad = await portal.call('/sharing/rest/portals/self/update', {
      token: admin,
      allowedOrigins: 'https://a.example.org, https://a.example.org/path',
    });
    assert.match(bad.error?.message ?? '', /'https:\/\/a\.example\.org\/path' is not an origin/);
    const ok = await portal.call('/sharing/rest/portals/self/update', {
      token: admin,
      allowedOrigins: 'https://a.example.org, https://b.example.org:8443',
    });
    assert.equal(ok.success, true, JSON.stringify(ok));
    const self = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
    assert.deepEqual(self.allowedOrigins, ['https://a.example.org', 'https://b.example.org:8443']);
    const a = await get('/sharing/rest/portals/self?f=json', 'https://b.example.org:8443');
    assert.equal(a.headers.get('access-control-allow-origin'), 'https://b.example.org:8443');
    const other = await get('/sharing/rest/portals/self?f=json', 'https://c.example.org');
    assert.equal(other.headers.get('access-control-allow-origin'), null);
    await portal.call('/sharing/rest/portals/self/update', { token: admin, allowedOrigins: '' });
    const again = await get('/sharing/rest/portals/self?f=json', 'https://c.example.org');
    assert.equal(again.headers.get('access-control-allow-origin'), 'https://c.example.org');
  });
});
