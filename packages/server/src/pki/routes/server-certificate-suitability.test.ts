/**
 * sslCertificates/update refuses to serve a certificate that would break HTTPS for the
 * portal's clients (another host name, expired, no TLS server usage), naming every reason at
 * once, and serves it anyway only when the caller says force=true.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { generateCertificate } from '../generate-certificate.ts';
import { openssl, type TempDir, tempDir } from '../test-helpers.ts';
import { eventually, opensslCa, servedCertificate, snapshot } from './test-support.ts';

const BASE = '/portaladmin/security/sslCertificates';
const DAY = 86_400_000;

describe('sslCertificates/update: only a certificate that can serve the portal', () => {
  let portal: TestPortal;
  let token: string;
  let dir: TempDir;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary portaladmin JSON answers.
  const call = async (path: string, fields: Record<string, string | boolean> = {}): Promise<any> =>
    portal.call(path, { token, ...fields });
  const fingerprintOf = async (alias: string) => (await call(`${BASE}/${alias}`)).sha256Fingerprint as string;

  before(async () => {
    portal = await startTestPortal();
    token = await portal.token();
    dir = tempDir();
    const gen = async (alias: string, cn: string, san: string) =>
      assert.equal((await call(`${BASE}/generate`, { alias, cn, san, keyAlg: 'EC' })).status, 'success');
    await gen('other-name', 'other.example.org', 'other.example.org');
    await gen('local', 'localhost', 'localhost,127.0.0.1');
    await gen('wild', '*.example.org', '*.example.org');
    // Expired, for another name, and for TLS clients only: self-signed, imported as PEM key + certificate.
    const bad = await generateCertificate({
      alias: 'bad',
      cn: 'old.example.org',
      san: ['old.example.org'],
      keyAlg: 'EC',
      validityDays: 30,
      now: new Date(Date.now() - 400 * DAY),
      extendedKeyUsage: ['clientAuth'],
    });
    await portal.modules.pki.certificates.importExisting('bad', bad.keyPem + bad.certPem, undefined);
    // An RSA certificate whose key usage allows key encipherment only: no ECDHE handshake can use it.
    openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        'enc.key',
        '-out',
        'enc.pem',
        '-days',
        '30',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-addext',
        'keyUsage=critical,keyEncipherment',
        '-addext',
        'extendedKeyUsage=serverAuth',
      ],
      dir.path,
    );
    await portal.modules.pki.certificates.importExisting(
      'enc-only',
      `${dir.read('enc.key')}${dir.read('enc.pem')}`,
      undefined,
    );
  });
  after(async () => {
    await portal.close();
    dir.remove();
  });

  test('a certificate for another host name is refused with the reason; nothing changes, the portal keeps serving its certificate', async () => {
    const served = (await servedCertificate(portal.httpsPort)).fingerprint256;
    const before = await snapshot(portal);
    const r = await call(`${BASE}/update`, { webServerCertificateAlias: 'other-name', HSTSEnabled: true });
    assert.equal(r.status, 'error');
    assert.equal(r.code, 400);
    assert.equal(r.errorCode, 'pki.unsuitable_server_certificate');
    assert.match(
      r.messages[0],
      /'other-name' cannot be the web server certificate: it is issued for other\.example\.org, not for localhost \(the portal's hostname setting\)/,
    );
    assert.match(r.messages[0], /force=true/);
    assert.deepEqual(r.unsuitable, [
      {
        alias: 'other-name',
        host: 'localhost',
        sni: false,
        reasons: [`it is issued for other.example.org, not for localhost (the portal's hostname setting)`],
      },
    ]);
    assert.deepEqual(await snapshot(portal), before);
    assert.equal((await servedCertificate(portal.httpsPort)).fingerprint256, served);
  });

  test('every reason at once: another name, expired, and no serverAuth usage', async () => {
    const r = await call(`${BASE}/update`, { webServerCertificateAlias: 'bad' });
    assert.equal(r.errorCode, 'pki.unsuitable_server_certificate');
    const reasons: string[] = r.unsuitable[0].reasons;
    assert.equal(reasons.length, 3, reasons.join(' | '));
    assert.match(reasons[0]!, /issued for old\.example\.org, not for localhost/);
    assert.match(reasons[1]!, /^it expired on \d{4}-\d\d-\d\dT/);
    assert.match(reasons[2]!, /clientAuth, not for a TLS server \(its extended key usage lacks serverAuth\)/);
    for (const reason of reasons) assert.ok(r.messages[0].includes(reason), reason);
  });

  test('key usage that fits the key: an RSA key with keyEncipherment only cannot sign an ECDHE handshake', async () => {
    const r = await call(`${BASE}/update`, { webServerCertificateAlias: 'enc-only' });
    assert.equal(r.errorCode, 'pki.unsuitable_server_certificate');
    assert.deepEqual(r.unsuitable[0].reasons.length, 1);
    assert.match(r.unsuitable[0].reasons[0], /keyEncipherment; a TLS server here needs digitalSignature/);
  });

  test('SNI: the certificate must cover the SNI host name (a wildcard entry needs a wildcard certificate)', async () => {
    const before = await snapshot(portal);
    const wrong = await call(`${BASE}/update`, {
      sniCertificates: JSON.stringify({ 'maps.example.org': 'other-name', 'tiles.example.org': 'wild' }),
    });
    assert.equal(wrong.errorCode, 'pki.unsuitable_server_certificate');
    assert.deepEqual(
      wrong.unsuitable.map((u: { alias: string; host: string; sni: boolean }) => [u.alias, u.host, u.sni]),
      [['other-name', 'maps.example.org', true]],
      'the wildcard certificate covers tiles.example.org',
    );
    assert.match(wrong.messages[0], /the certificate for maps\.example\.org \(SNI\)/);
    const narrow = await call(`${BASE}/update`, {
      sniCertificates: JSON.stringify({ '*.other.example.org': 'other-name' }),
    });
    assert.equal(narrow.errorCode, 'pki.unsuitable_server_certificate');
    assert.deepEqual(await snapshot(portal), before);

    const ok = await call(`${BASE}/update`, {
      sniCertificates: JSON.stringify({ 'tiles.example.org': 'wild', '*.example.org': 'wild' }),
    });
    assert.equal(ok.status, 'success', JSON.stringify(ok));
    assert.equal(ok.warnings, undefined);
    assert.equal((await call(`${BASE}/update`, { sniCertificates: '{}' })).status, 'success');
  });

  test('force=true serves it anyway and says what was overridden; settings sent again unchanged are not refused', async () => {
    const r = await call(`${BASE}/update`, { webServerCertificateAlias: 'other-name', force: true });
    assert.equal(r.status, 'success', JSON.stringify(r));
    assert.equal(r.warnings.length, 1);
    assert.match(
      r.warnings[0],
      /'other-name' cannot be the web server certificate: it is issued for other\.example\.org/,
    );
    const expected = await fingerprintOf('other-name');
    const served = await eventually(
      5000,
      () => servedCertificate(portal.httpsPort),
      (c) => c.fingerprint256 === expected,
    );
    assert.equal(served.fingerprint256, expected);
    // The UI's HTTPS form sends the alias with every change: the alias already served is not judged again.
    const again = await call(`${BASE}/update`, {
      webServerCertificateAlias: 'other-name',
      HSTSEnabled: false,
    });
    assert.equal(again.status, 'success', JSON.stringify(again));
    // A certificate that fits needs no force.
    const local = await call(`${BASE}/update`, { webServerCertificateAlias: 'local' });
    assert.equal(local.status, 'success', JSON.stringify(local));
    assert.equal(local.warnings, undefined);
    const localFp = await fingerprintOf('local');
    const now = await eventually(
      5000,
      () => servedCertificate(portal.httpsPort),
      (c) => c.fingerprint256 === localFp,
    );
    assert.equal(now.fingerprint256, localFp);
    assert.equal((await call(`${BASE}/update`, { webServerCertificateAlias: 'portal' })).status, 'success');
  });

  test('importSignedCertificate for the certificate in use: a reply for another name is refused; force installs it', async () => {
    opensslCa(dir, 'Reply CA');
    assert.equal(
      (
        await call('/portaladmin/security/sslCertificates/importRootOrIntermediate', {
          alias: 'reply-ca',
          certificate: dir.read('ca.pem').toString(),
        })
      ).status,
      'success',
    );
    const csr = await call(`${BASE}/reply/generateCSR`, { cn: 'localhost', san: 'localhost,127.0.0.1' });
    dir.write('reply.csr', csr.certificateSigningRequest);
    assert.equal((await call(`${BASE}/update`, { webServerCertificateAlias: 'reply' })).status, 'success');
    dir.write('other.ext', 'subjectAltName=DNS:other.example.org\nextendedKeyUsage=serverAuth\n');
    openssl(
      [
        'x509',
        '-req',
        '-in',
        'reply.csr',
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-out',
        'other.pem',
        '-days',
        '30',
        '-extfile',
        'other.ext',
      ],
      dir.path,
    );
    const before = await snapshot(portal);
    const refused = await call(`${BASE}/reply/importSignedCertificate`, {
      certificate: dir.read('other.pem').toString(),
    });
    assert.equal(refused.errorCode, 'pki.unsuitable_server_certificate');
    assert.match(
      refused.messages[0],
      /'reply' cannot be the web server certificate: it is issued for other\.example\.org/,
    );
    assert.deepEqual(await snapshot(portal), before);
    const forced = await call(`${BASE}/reply/importSignedCertificate`, {
      certificate: dir.read('other.pem').toString(),
      force: true,
    });
    assert.equal(forced.status, 'success', JSON.stringify(forced));
    assert.ok(forced.warnings.some((w: string) => /'reply' cannot be the web server certificate/.test(w)));
    assert.equal((await call(`${BASE}/update`, { webServerCertificateAlias: 'portal' })).status, 'success');
  });
});
