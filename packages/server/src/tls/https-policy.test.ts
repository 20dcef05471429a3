import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { request } from 'undici';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { tlsContextOf } from './test-context.ts';
import { updateTlsSettings } from './tls-settings.ts';

function servedCn(
  port: number,
  ca: string,
  servername: string,
  opts: tls.ConnectionOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ host: '127.0.0.1', port, servername, ca, ...opts }, () => {
      const cn = s.getPeerX509Certificate()!.subject;
      s.end();
      resolve(cn);
    });
    s.on('error', reject);
  });
}

/** Waits until `check` passes (settings reach the listener through the change bus). */
async function eventually(check: () => Promise<void>, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('HTTPS policy', () => {
  let portal: TestPortal;
  let http: string;
  before(async () => {
    portal = await startTestPortal({ overrides: { 'http.mode': 'serve' } });
    http = `http://127.0.0.1:${portal.httpPort}`;
  });
  after(() => portal.close());

  test('with allSSL on, plain HTTP gets "SSL Required" instead of content', async () => {
    const r = await request(`${http}/sharing/rest/info?f=json`);
    const body = (await r.body.json()) as { error: { code: number; message: string } };
    assert.equal(body.error.code, 403);
    assert.equal(body.error.message, 'SSL Required');
  });

  test('with allSSL off, only the HTTPS-required paths and credentials are refused over HTTP', async () => {
    const token = await portal.token();
    const off = await portal.call('/sharing/rest/portals/self/update', { token, allSSL: false });
    assert.equal(off.success, true, JSON.stringify(off));
    await updateTlsSettings(tlsContextOf(portal), { httpsRequiredPaths: ['/sharing/rest/content'] });

    const info = (await (await request(`${http}/sharing/rest/info?f=json`)).body.json()) as {
      authInfo?: unknown;
    };
    assert.ok(info.authInfo, 'info is served over HTTP');
    const content = (await (await request(`${http}/sharing/rest/content/items/abc?f=json`)).body.json()) as {
      error: { message: string };
    };
    assert.equal(content.error.message, 'SSL Required');
    const gen = (await (
      await request(`${http}/sharing/rest/generateToken`, {
        method: 'POST',
        body: 'username=admin&password=x&f=json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).body.json()) as { error: { message: string } };
    assert.equal(gen.error.message, 'SSL Required', 'passwords never travel over plain HTTP');
    const admin = (await (await request(`${http}/portaladmin/security/users?f=json`)).body.json()) as {
      messages: string[];
    };
    assert.deepEqual(admin.messages.slice(0, 1), ['SSL Required']);
  });

  test('HSTS is sent over HTTPS when enabled, and never over HTTP', async () => {
    const before = await portal.fetch('/sharing/rest/info?f=json');
    assert.equal(before.headers.get('strict-transport-security'), null);
    await updateTlsSettings(tlsContextOf(portal), { HSTSEnabled: true });
    await eventually(async () => {
      const r = await portal.fetch('/sharing/rest/info?f=json');
      assert.equal(r.headers.get('strict-transport-security'), 'max-age=31536000; includeSubDomains');
    });
    const plain = await request(`${http}/sharing/rest/info?f=json`);
    assert.equal(plain.headers['strict-transport-security'], undefined);
    await plain.body.dump();
  });

  test('SNI: each host name is served its own certificate', async () => {
    await portal.modules.pki.issueFromLocalCa('maps', ['maps.example.test']);
    await portal.modules.pki.issueFromLocalCa('tiles', ['*.tiles.example.test']);
    await updateTlsSettings(tlsContextOf(portal), {
      sniCertificates: { 'maps.example.test': 'maps', '*.tiles.example.test': 'tiles' },
    });
    await eventually(async () => {
      assert.equal(
        await servedCn(portal.httpsPort, portal.caCertPem, 'maps.example.test'),
        'CN=maps.example.test',
      );
    });
    assert.equal(
      await servedCn(portal.httpsPort, portal.caCertPem, 'a.tiles.example.test'),
      'CN=*.tiles.example.test',
    );
    assert.equal(await servedCn(portal.httpsPort, portal.caCertPem, 'localhost'), 'CN=localhost');
  });

  test('TLS 1.2 minimum by default; protocols change live', async () => {
    await assert.rejects(
      servedCn(portal.httpsPort, portal.caCertPem, 'localhost', {
        maxVersion: 'TLSv1.1',
        minVersion: 'TLSv1',
      }),
    );
    assert.equal(
      await servedCn(portal.httpsPort, portal.caCertPem, 'localhost', { maxVersion: 'TLSv1.2' }),
      'CN=localhost',
    );
    await updateTlsSettings(tlsContextOf(portal), { sslProtocols: ['TLSv1.3'] });
    await eventually(async () => {
      await assert.rejects(
        servedCn(portal.httpsPort, portal.caCertPem, 'localhost', { maxVersion: 'TLSv1.2' }),
      );
    });
    assert.equal(await servedCn(portal.httpsPort, portal.caCertPem, 'localhost'), 'CN=localhost');
    await updateTlsSettings(tlsContextOf(portal), { sslProtocols: ['TLSv1.2', 'TLSv1.3'] });
  });

  test('invalid settings are refused with the reason and change nothing', async () => {
    await assert.rejects(
      updateTlsSettings(tlsContextOf(portal), { sslProtocols: ['TLSv1.1' as 'TLSv1.2'] }),
      /TLSv1.2 and\/or TLSv1.3/,
    );
    await assert.rejects(
      updateTlsSettings(tlsContextOf(portal), { cipherSuites: ['DES-CBC3-SHA'] }),
      /not allowed/,
    );
    await assert.rejects(
      updateTlsSettings(tlsContextOf(portal), { webServerCertificateAlias: 'nope' }),
      /No certificate with a private key/,
    );
    assert.equal(portal.modules.tls.web.settings?.webServerCertificateAlias, 'portal');
  });
});
