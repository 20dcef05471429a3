/**
 * portaladmin/healthCheck: 200 with 'ok' on a fresh portal, 200 with 'warning' for what needs
 * attention soon, and an HTTP error status with the portaladmin error body when what it finds
 * stops the node from serving (a served certificate expired), so that monitoring sees it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { generateCertificate } from '../generate-certificate.ts';

const BASE = '/portaladmin/security/sslCertificates';
const DAY = 86_400_000;

describe('portaladmin/healthCheck answers an error with an error status', () => {
  let portal: TestPortal;
  let token: string;
  const health = async () => {
    const res = await portal.fetch(`/portaladmin/healthCheck?f=json&token=${token}`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() } as {
      status: number;
      retryAfter: string | null;
      // biome-ignore lint/suspicious/noExplicitAny: portaladmin JSON of two shapes.
      body: any;
    };
  };

  before(async () => {
    portal = await startTestPortal();
    token = await portal.token();
    const old = await generateCertificate({
      alias: 'old',
      cn: 'old.example.org',
      san: ['old.example.org'],
      keyAlg: 'EC',
      validityDays: 30,
      now: new Date(Date.now() - 400 * DAY),
    });
    await portal.modules.pki.certificates.importExisting('old', old.keyPem + old.certPem, undefined);
  });
  after(() => portal?.close());

  test('an expired certificate nothing serves is a warning: HTTP 200, status warning', async () => {
    const { status, body } = await health();
    assert.equal(status, 200);
    assert.equal(body.status, 'warning');
    assert.deepEqual(
      body.warnings.map((w: { alias: string; state: string; inUse: boolean }) => [w.alias, w.state, w.inUse]),
      [['old', 'expired', false]],
    );
  });

  test('once the node serves it (SNI), HTTP 503 with the portaladmin error naming it; fixed, 200 again', async () => {
    const set = await portal.call(`${BASE}/update`, {
      token,
      sniCertificates: JSON.stringify({ 'old.example.org': 'old' }),
      force: true,
    });
    assert.equal(set.status, 'success', JSON.stringify(set));
    const failing = await health();
    assert.equal(failing.status, 503);
    assert.equal(failing.retryAfter, '5');
    assert.equal(failing.body.status, 'error');
    assert.equal(failing.body.code, 503);
    assert.equal(failing.body.errorCode, 'pki.served_certificate_invalid');
    assert.match(
      failing.body.messages[0],
      /serves cannot be trusted.*'old' \(CN=old\.example\.org\) expired on/,
    );
    assert.deepEqual(
      failing.body.warnings.map((w: { alias: string; inUse: boolean }) => [w.alias, w.inUse]),
      [['old', true]],
    );
    assert.equal((await portal.call(`${BASE}/update`, { token, sniCertificates: '{}' })).status, 'success');
    const fixed = await health();
    assert.equal(fixed.status, 200);
    assert.equal(fixed.body.status, 'warning');
  });

  test('a fresh portal reports ok, not a warning', async () => {
    const fresh = await startTestPortal();
    try {
      const res = await fresh.fetch(`/portaladmin/healthCheck?f=json&token=${await fresh.token()}`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', warnings: [] });
    } finally {
      await fresh.close();
    }
  });
});
