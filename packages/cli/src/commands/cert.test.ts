import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  eventually,
  opensslCa,
  opensslServerCert,
  opensslSign,
  servedCertificate,
  snapshot,
} from '../../../server/src/pki/routes/test-support.ts';
import { openssl, type TempDir, tempDir } from '../../../server/src/pki/test-helpers.ts';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli } from './test-cli.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`meridian cert and meridian trust (${database})`, () => {
    let portal: TestPortal;
    let where: string[];
    let dir: TempDir;
    let caPem: string;
    before(async () => {
      portal = await startTestPortal({ database });
      where = [
        '--home',
        portal.home,
        ...(portal.config.database.url ? ['--database-url', portal.config.database.url] : []),
      ];
      dir = tempDir();
      caPem = opensslCa(dir, 'CLI Corp CA');
      opensslServerCert(dir);
    });
    after(async () => {
      await portal.close();
      dir.remove();
    });

    test('cert import: PKCS#12 from openssl (AES and -legacy); a wrong password or a truncated file changes nothing', async () => {
      openssl(
        [
          'pkcs12',
          '-export',
          '-in',
          'server.pem',
          '-inkey',
          'server.key',
          '-certfile',
          'ca.pem',
          '-out',
          'aes.pfx',
          '-passout',
          'pass:s3cret',
        ],
        dir.path,
      );
      openssl(
        [
          'pkcs12',
          '-export',
          '-legacy',
          '-in',
          'server.pem',
          '-inkey',
          'server.key',
          '-certfile',
          'ca.pem',
          '-out',
          'legacy.pfx',
          '-passout',
          'pass:s3cret',
        ],
        dir.path,
      );
      const a = await cli([
        'cert',
        'import',
        'cli-aes',
        dir.file('aes.pfx'),
        '--password',
        's3cret',
        ...where,
      ]);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /imported cli-aes \(chain complete\)/);
      const l = await cli(
        ['cert', 'import', 'cli-legacy', dir.file('legacy.pfx'), '--password-stdin', ...where],
        's3cret\n',
      );
      assert.equal(l.code, 0, l.stderr);

      const before = await snapshot(portal);
      const wrong = await cli([
        'cert',
        'import',
        'cli-bad',
        dir.file('aes.pfx'),
        '--password',
        'nope',
        ...where,
      ]);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /\[pki\.pkcs12_wrong_password\]/);
      dir.write('cut.pfx', dir.read('aes.pfx').subarray(0, 300));
      const cut = await cli([
        'cert',
        'import',
        'cli-bad',
        dir.file('cut.pfx'),
        '--password',
        's3cret',
        ...where,
      ]);
      assert.equal(cut.code, 1);
      assert.match(cut.stderr, /\[pki\.pkcs12_truncated\]/);
      const nokey = await cli(['cert', 'import', 'cli-bad', dir.file('server.pem'), ...where]);
      assert.match(nokey.stderr, /\[pki\.no_private_key\]/);
      assert.deepEqual(await snapshot(portal), before);

      const list = await cli(['cert', 'list', ...where]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^cli-aes\s+CN=localhost\s+CN=CLI Corp CA, O=Meridian Tests/m);
      assert.match(list.stdout, /^portal .* yes\s+yes$/m);
      assert.match(list.stdout, /web server certificate: portal/);
      // The API sees what the CLI did.
      const token = await portal.token();
      const api = await portal.call('/portaladmin/security/sslCertificates', { token }, { method: 'GET' });
      assert.ok(api.sslCertificates.includes('cli-legacy'));
    });

    test('csr → openssl x509 -req → trust import → cert import (reply) → cert use: the running portal serves it; export; delete refused', async () => {
      const csr = await cli([
        'cert',
        'csr',
        'web3',
        '--cn',
        'localhost',
        '--san',
        'localhost,127.0.0.1',
        '--out',
        dir.file('web3.csr'),
        ...where,
      ]);
      assert.equal(csr.code, 0, csr.stderr);
      opensslSign(dir, 'web3.csr', 'web3.pem');
      const early = await cli(['cert', 'import', 'web3', dir.file('web3.pem'), ...where]);
      assert.equal(early.code, 1);
      assert.match(early.stderr, /\[pki\.chain_incomplete\]/);
      assert.match(early.stderr, /CLI Corp CA/);

      const t = await cli(['trust', 'import', dir.file('ca.pem'), '--alias', 'cli-ca', ...where]);
      assert.equal(t.code, 0, t.stderr);
      assert.match(t.stdout, /trusted: cli-ca/);
      const reply = await cli(['cert', 'import', 'web3', dir.file('web3.pem'), ...where]);
      assert.equal(reply.code, 0, reply.stderr);
      assert.match(reply.stdout, /installed the signed certificate of web3 \(chain complete\)/);

      const use = await cli(['cert', 'use', 'web3', ...where]);
      assert.equal(use.code, 0, use.stderr);
      const expected = new X509Certificate(dir.read('web3.pem')).fingerprint256;
      const served = await eventually(
        8000,
        () => servedCertificate(portal.httpsPort),
        (c) => c.fingerprint256 === expected,
      );
      assert.equal(
        served.fingerprint256,
        expected,
        'the running portal serves the certificate switched by the CLI',
      );

      const exp = await cli(['cert', 'export', 'web3', '--out', dir.file('web3.cer'), ...where]);
      assert.equal(exp.code, 0, exp.stderr);
      assert.match(
        openssl(['x509', '-inform', 'DER', '-in', 'web3.cer', '-noout', '-fingerprint', '-sha256'], dir.path),
        new RegExp(expected),
      );
      const pem = await cli(['cert', 'export', 'web3', ...where]);
      assert.equal(pem.stdout, dir.read('web3.pem').toString().replace(/\r/g, ''));

      const del = await cli(['cert', 'delete', 'web3', ...where]);
      assert.equal(del.code, 1);
      assert.match(del.stderr, /\[pki\.alias_in_use\]/);
      assert.equal((await cli(['cert', 'use', 'portal', ...where])).code, 0);
      assert.equal((await cli(['cert', 'delete', 'web3', ...where])).code, 0);
    });

    test('trust list, remove, export-ca; usage errors', async () => {
      const list = await cli(['trust', 'list', ...where]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /portal-root-ca \(built in\)/);
      assert.match(
        list.stdout,
        new RegExp(
          `cli-ca\\s+CN=CLI Corp CA, O=Meridian Tests\\s.*${new X509Certificate(caPem).fingerprint256}`,
        ),
      );
      assert.equal((await cli(['trust', 'remove', 'cli-ca', ...where])).code, 0);
      const again = await cli(['trust', 'remove', 'cli-ca', ...where]);
      assert.match(again.stderr, /\[trust\.alias_not_found\]/);
      const ca = await cli(['trust', 'export-ca', ...where]);
      assert.equal(ca.stdout, portal.caCertPem);
      const usage = await cli(['trust', 'import', dir.file('ca.pem'), ...where]);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--alias is required/);
      assert.equal((await cli(['cert', 'frobnicate', ...where])).code, 2);
    });
  });
}
