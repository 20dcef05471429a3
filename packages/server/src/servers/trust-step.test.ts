/**
 * The trust step of a federation against a real second site with its own CA (another portal:
 * it answers HTTPS but is not a GIS server): the untrusted certificate is diagnosed with the
 * presented chain and the fingerprint to confirm; a wrong fingerprint is refused; the right one
 * trusts exactly that certificate, and when a later step fails nothing stays behind (the trust
 * entry is removed again). Server tokens are refused for a URL that is no federated server's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';

describe('federating a server: the trust step', () => {
  let portal: TestPortal;
  let other: TestPortal;
  let token: string;
  const federate = (fields: Record<string, string>) =>
    portal.call('/portaladmin/federation/servers/federate', {
      url: `${other.url}/arcgis`,
      username: 'admin',
      password: 'S3rver-admin-password',
      token,
      ...fields,
    });

  before(async () => {
    [portal, other] = await Promise.all([startTestPortal(), startTestPortal()]);
    token = await portal.token();
  });
  after(async () => {
    await portal?.close();
    await other?.close();
  });

  test('an untrusted server: the cause, the chain and the fingerprint to confirm; nothing stored', async () => {
    const r = await federate({});
    assert.equal(r.status, 'error', JSON.stringify(r));
    assert.equal(r.errorCode, 'servers.untrusted_certificate');
    assert.match(r.messages[0], /does not trust the certificate/);
    assert.match(r.messages[0], /trustPresentedCertificate=/);
    assert.ok(Array.isArray(r.presentedChain) && r.presentedChain.length >= 1);
    for (const c of r.presentedChain) {
      assert.match(c.sha256Fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      assert.ok(!Number.isNaN(Date.parse(c.notAfter)));
    }
    const ca = r.presentedChain.find((c: { isCA: boolean }) => c.isCA) ?? r.presentedChain[0];
    assert.equal(r.fingerprintToConfirm, ca.sha256Fingerprint);
    const list = await portal.call('/portaladmin/federation/servers', { token }, { method: 'GET' });
    assert.deepEqual(list.servers, []);
  });

  test('a fingerprint the server does not present is refused; nothing is trusted', async () => {
    const before = (await portal.modules.pki.trust.list()).length;
    const r = await federate({ trustPresentedCertificate: `${'AB:'.repeat(31)}AB` });
    assert.equal(r.errorCode, 'servers.fingerprint_mismatch', JSON.stringify(r));
    assert.equal((await portal.modules.pki.trust.list()).length, before);
  });

  test('the confirmed fingerprint gets past the certificate; a site that is no GIS server is refused and the trust entry goes again', async () => {
    const first = await federate({});
    const fp = (first.fingerprintToConfirm as string).replaceAll(':', '').toLowerCase();
    const before = (await portal.modules.pki.trust.list()).length;
    const r = await federate({ trustPresentedCertificate: fp });
    assert.equal(r.errorCode, 'servers.not_a_meridian_server', JSON.stringify(r));
    assert.equal((await portal.modules.pki.trust.list()).length, before, 'the trust entry was removed');
    const traces = await portal.call(
      '/portaladmin/traces',
      { token, pipeline: 'servers.federate', outcome: 'failed' },
      { method: 'GET' },
    );
    const steps = traces.traces[0].steps.map(
      (s: { name: string; outcome: string }) => `${s.name}:${s.outcome}`,
    );
    assert.deepEqual(steps, ['parse_urls:ok', 'reach_server:failed']);
  });

  test('bad input: an http:// URL', async () => {
    const r = await federate({ url: 'http://example.org/arcgis' });
    assert.equal(r.errorCode, 'servers.invalid_input');
    assert.match(r.messages[0], /https:\/\//);
  });

  test('generateToken with a serverUrl that no federated server has: 400, not a server federated with this portal', async () => {
    const r = await portal.call('/sharing/rest/generateToken', { token, serverUrl: `${other.url}/arcgis` });
    assert.equal(r.error?.code, 400, JSON.stringify(r));
    assert.match(r.error.message, /is not a server federated with this portal/);
    const anonymous = await portal.call('/sharing/rest/generateToken', { serverUrl: `${other.url}/arcgis` });
    assert.equal(anonymous.error?.code, 499, JSON.stringify(anonymous));
  });

  test('portals/self/servers: signed-in users only', async () => {
    assert.deepEqual(
      (await portal.call('/sharing/rest/portals/self/servers', { token }, { method: 'GET' })).servers,
      [],
    );
    const anonymous = await portal.call('/sharing/rest/portals/self/servers', {}, { method: 'GET' });
    assert.equal(anonymous.error?.code, 499);
  });
});
