import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request } from 'undici';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';

describe('portal description', () => {
  let portal: TestPortal;
  before(async () => {
    portal = await startTestPortal();
  });
  after(() => portal.close());

  test('sharing/rest/info names the token service over HTTPS', async () => {
    const info = await portal.call('/sharing/rest/info', {}, { method: 'GET' });
    assert.equal(info.authInfo.isTokenBasedSecurity, true);
    assert.equal(info.authInfo.tokenServicesUrl, `${portal.url}/sharing/rest/generateToken`);
    assert.match(info.authInfo.tokenServicesUrl, /^https:\/\/localhost:\d+\//);
  });

  test('portals/self describes the organisation', async () => {
    const self = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
    assert.equal(self.isPortal, true);
    assert.equal(self.allSSL, true);
    assert.equal(self.maxTokenExpirationMinutes, 20160);
    assert.equal(self.portalHostname, `localhost:${portal.httpsPort}`);
    assert.equal(typeof self.id, 'string');
    assert.equal(typeof self.currentVersion, 'string');
  });

  test('f=pjson is pretty-printed', async () => {
    const res = await portal.fetch('/sharing/rest/info?f=pjson');
    assert.match(await res.text(), /\n {2}"/);
  });

  test('plain HTTP redirects to HTTPS on the configured host name, with the port', async () => {
    const res = await request(`http://127.0.0.1:${portal.httpPort}/sharing/rest/info?f=json`);
    assert.equal(res.statusCode, 301);
    assert.equal(res.headers.location, `https://localhost:${portal.httpsPort}/sharing/rest/info?f=json`);
    await res.body.dump();
  });

  test('unknown parameters and unknown paths get a clear 400 in the ArcGIS shape', async () => {
    const bad = await portal.call('/sharing/rest/info', { bogus: 'x' }, { method: 'GET' });
    assert.equal(bad.error.code, 400);
    assert.match(bad.error.message, /Unknown parameter 'bogus'/);
    const missing = await portal.call('/sharing/rest/no/such/thing', {}, { method: 'GET' });
    assert.equal(missing.error.code, 400);
  });

  test('an oversized body is refused with a clear 400-class answer and changes nothing', async () => {
    const token = await portal.token();
    const before = await portal.call('/sharing/rest/portals/self', { token }, { method: 'GET' });
    const huge = 'x'.repeat(portal.config.body.maxBytes + 10);
    const r = await portal.call('/sharing/rest/portals/self/update', { token, description: huge });
    assert.equal(r.error.code, 400);
    assert.equal(r.error.messageCode, 'request.too_large');
    assert.match(r.error.message, /larger than the configured limit/);
    const after = await portal.call('/sharing/rest/portals/self', { token }, { method: 'GET' });
    assert.equal(after.description, before.description);
  });

  test('wrong parameter types are refused and change nothing', async () => {
    const token = await portal.token();
    const r = await portal.call('/sharing/rest/portals/self/update', {
      token,
      maxTokenExpirationMinutes: 'soon',
    });
    assert.equal(r.error.code, 400);
    assert.match(r.error.message, /maxTokenExpirationMinutes/);
    const tooBig = await portal.call('/sharing/rest/portals/self/update', {
      token,
      maxTokenExpirationMinutes: 99999,
    });
    assert.equal(tooBig.error.code, 400);
    const self = await portal.call('/sharing/rest/portals/self', { token }, { method: 'GET' });
    assert.equal(self.maxTokenExpirationMinutes, 20160);
  });

  test('default sharing of new items is a setting that administrators change and everyone reads', async () => {
    const token = await portal.token();
    const initial = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
    assert.equal(initial.defaultItemAccess, 'private');
    const bad = await portal.call('/sharing/rest/portals/self/update', {
      token,
      defaultItemAccess: 'shared',
    });
    assert.equal(bad.error.code, 400);
    assert.match(bad.error.message, /defaultItemAccess/);
    const ok = await portal.call('/sharing/rest/portals/self/update', { token, defaultItemAccess: 'org' });
    assert.equal(ok.success, true);
    const after = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
    assert.equal(after.defaultItemAccess, 'org');
    await portal.call('/sharing/rest/portals/self/update', { token, defaultItemAccess: 'private' });
  });

  test('portals/self/update needs a token', async () => {
    const r = await portal.call('/sharing/rest/portals/self/update', { name: 'X' });
    assert.equal(r.error.code, 499);
  });
});
