/**
 * The certificate commands refuse what would break the portal or mislead: `cert use` and a CA
 * reply for a certificate in use are checked against the host name, dates and key usage
 * (--force overrides, and says what it overrode); `trust import` says when a certificate pins
 * one server, or is already trusted under another alias.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  eventually,
  opensslCa,
  opensslSign,
  servedCertificate,
} from '../../../server/src/pki/routes/test-support.ts';
import { openssl, type TempDir, tempDir } from '../../../server/src/pki/test-helpers.ts';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli } from './test-cli.ts';

describe('meridian cert use / cert import / trust import: checks and notes', () => {
  let portal: TestPortal;
  let where: string[];
  let dir: TempDir;
  before(async () => {
    portal = await startTestPortal();
    where = ['--home', portal.home];
    dir = tempDir();
    opensslCa(dir, 'CLI Checks CA');
  });
  after(async () => {
    await portal.close();
    dir.remove();
  });

  test('cert use refuses a certificate for another host name with the reason; --force serves it and says what it overrode', async () => {
    const gen = await cli([
      'cert',
      'generate',
      'elsewhere',
      '--cn',
      'elsewhere.example.org',
      '--key-alg',
      'EC',
      ...where,
    ]);
    assert.equal(gen.code, 0, gen.stderr);
    const refused = await cli(['cert', 'use', 'elsewhere', ...where]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.trimEnd().split('\n').length, 1, refused.stderr);
    assert.match(
      refused.stderr.trimEnd(),
      /^meridian: The certificate 'elsewhere' cannot be the web server certificate: it is issued for elsewhere\.example\.org, not for localhost \(the portal's hostname setting\)\. Nothing was changed\..*--force.*\[pki\.unsuitable_server_certificate\]$/,
    );
    const sni = await cli(['cert', 'use', 'elsewhere', '--sni', 'maps.example.org', ...where]);
    assert.match(
      sni.stderr,
      /the certificate for maps\.example\.org \(SNI\): it is issued for elsewhere\.example\.org/,
    );
    const list = await cli(['cert', 'list', ...where]);
    assert.match(list.stdout, /web server certificate: portal;/);
    assert.doesNotMatch(list.stdout, /SNI maps/);

    const forced = await cli(['cert', 'use', 'elsewhere', '--force', ...where]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(
      forced.stdout,
      /^warning \(--force\): The certificate 'elsewhere' cannot be the web server certificate: it is issued for elsewhere\.example\.org/m,
    );
    assert.match(forced.stdout, /the web server certificate is now elsewhere/);
    const back = await cli(['cert', 'use', 'portal', ...where]);
    assert.equal(back.code, 0, back.stderr);
    assert.equal(back.stdout, 'the web server certificate is now portal (live on every node)\n');
  });

  test('a CA reply that would replace the certificate in use with one for another name is refused; --force installs it', async () => {
    assert.equal(
      (await cli(['trust', 'import', dir.file('ca.pem'), '--alias', 'checks-ca', ...where])).code,
      0,
    );
    const csr = await cli([
      'cert',
      'csr',
      'web',
      '--cn',
      'localhost',
      '--san',
      'localhost,127.0.0.1',
      '--out',
      dir.file('web.csr'),
      ...where,
    ]);
    assert.equal(csr.code, 0, csr.stderr);
    // The next command, complete: it names the same data directory.
    assert.ok(
      csr.stdout.endsWith(`then run meridian cert import web REPLY-FILE --home ${portal.home}\n`),
      csr.stdout,
    );
    opensslSign(dir, 'web.csr', 'web.pem');
    assert.equal((await cli(['cert', 'import', 'web', dir.file('web.pem'), ...where])).code, 0);
    assert.equal((await cli(['cert', 'use', 'web', ...where])).code, 0);

    // The CA signs the same key for another name.
    dir.write('other.ext', 'subjectAltName=DNS:other.example.org\nextendedKeyUsage=serverAuth\n');
    openssl(
      [
        'x509',
        '-req',
        '-in',
        'web.csr',
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
    const webFp = new X509Certificate(dir.read('web.pem')).fingerprint256;
    const served = await eventually(
      8000,
      () => servedCertificate(portal.httpsPort),
      (c) => c.fingerprint256 === webFp,
    );
    assert.equal(served.fingerprint256, webFp);
    const refused = await cli(['cert', 'import', 'web', dir.file('other.pem'), ...where]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /'web' cannot be the web server certificate: it is issued for other\.example\.org, not for localhost.*\[pki\.unsuitable_server_certificate\]/,
    );
    assert.equal((await servedCertificate(portal.httpsPort)).fingerprint256, webFp);

    const forced = await cli(['cert', 'import', 'web', dir.file('other.pem'), '--force', ...where]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^warning: The certificate 'web' cannot be the web server certificate/m);
    const expected = new X509Certificate(dir.read('other.pem')).fingerprint256;
    const now = await eventually(
      8000,
      () => servedCertificate(portal.httpsPort),
      (c) => c.fingerprint256 === expected,
    );
    assert.equal(now.fingerprint256, expected);
    assert.equal((await cli(['cert', 'use', 'portal', ...where])).code, 0);
  });

  test('trust import: a server certificate pins one server; a CA already trusted under another alias is said so', async () => {
    // A server's own certificate (not a CA).
    const pin = await cli(['trust', 'import', dir.file('web.pem'), '--alias', 'web-pin', ...where]);
    assert.equal(pin.code, 0, pin.stderr);
    assert.match(pin.stdout, /^trusted: web-pin /);
    assert.match(
      pin.stdout,
      /^note: 'web-pin' \(CN=localhost\) is not a certificate authority but a server's own certificate: it pins that one server \(localhost, 127\.0\.0\.1\)\./m,
    );

    // The CA again, under a new alias.
    const again = await cli(['trust', 'import', dir.file('ca.pem'), '--alias', 'same-ca', ...where]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^trusted: checks-ca /);
    assert.match(
      again.stdout,
      /^note: CN=CLI Checks CA, O=Meridian Tests is already trusted under another alias, 'checks-ca': it was not added again as 'same-ca'\.$/m,
    );
    const list = await cli(['trust', 'list', ...where]);
    assert.doesNotMatch(list.stdout, /same-ca/);

    // A CA imported for the first time needs no note.
    opensslCa(dir, 'CLI Fresh CA');
    const fresh = await cli(['trust', 'import', dir.file('ca.pem'), '--alias', 'fresh-ca', ...where]);
    assert.equal(fresh.stdout, 'trusted: fresh-ca (running nodes use it for their next connection)\n');
  });
});
