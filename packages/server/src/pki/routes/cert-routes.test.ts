import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { openssl, type TempDir, tempDir, tryOpenssl } from '../test-helpers.ts';
import {
  eventually,
  opensslCa,
  opensslServerCert,
  opensslSign,
  run,
  servedCertificate,
  snapshot,
  upload,
} from './test-support.ts';

const BASE = '/portaladmin/security/sslCertificates';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`certificate store over HTTPS (${database})`, () => {
    let portal: TestPortal;
    let token: string;
    let dir: TempDir;
    let caPem: string;
    const call = (
      path: string,
      fields: Record<string, string | number | boolean> = {},
      method: 'GET' | 'POST' = 'POST',
    ) => portal.call(path, { token, ...fields }, { method });

    before(async () => {
      portal = await startTestPortal({ database });
      token = await portal.token();
      dir = tempDir();
      caPem = opensslCa(dir, 'Example Corp Issuing CA');
      opensslServerCert(dir);
    });
    after(async () => {
      await portal.close();
      dir.remove();
    });

    test('list: the default web server certificate, issued by the portal CA, in use; admins only', async () => {
      const list = await call(BASE, {}, 'GET');
      assert.equal(list.webServerCertificateAlias, 'portal');
      assert.deepEqual(list.sslCertificates, ['portal']);
      assert.deepEqual(list.sslProtocols, ['TLSv1.2', 'TLSv1.3']);
      const [c] = list.certificates;
      assert.equal(c.alias, 'portal');
      assert.equal(c.inUse, true);
      assert.equal(c.hasPrivateKey, true);
      assert.equal(c.issuedByLocalCa, true);
      assert.equal(c.expiryState, 'valid');
      const anon = await portal.call(BASE, {}, { method: 'GET' });
      assert.equal(anon.status, 'error');
      assert.equal(anon.code, 499);
    });

    test('generate (portal CA and self-signed), details, duplicate alias refused', async () => {
      const r = await call(`${BASE}/generate`, {
        alias: 'gis',
        cn: 'gis.example.org',
        org: 'Example',
        country: 'de',
        san: 'gis.example.org, 10.0.0.7',
        keyAlg: 'EC',
        keySize: 384,
        validity: 200,
      });
      assert.deepEqual(r, { status: 'success', alias: 'gis' });
      const d = await call(`${BASE}/gis`, {}, 'GET');
      assert.equal(d.subject, 'CN=gis.example.org, O=Example, C=DE');
      assert.match(d.issuer, /Meridian Portal CA /);
      assert.deepEqual(d.subjectAlternativeNames, ['DNS:gis.example.org', 'IP:10.0.0.7']);
      assert.equal(d.keyAlgorithm, 'EC');
      assert.equal(d.keySize, 384);
      assert.equal(d.issuedByLocalCa, true);
      assert.equal(d.inUse, false);
      assert.equal(d.chain.length, 1);
      assert.equal(
        d.chain[0].subject,
        new X509Certificate(portal.caCertPem).subject.split('\n').reverse().join(', '),
      );
      assert.ok(d.daysLeft >= 199 && d.daysLeft <= 200, String(d.daysLeft));
      assert.match(d.sha256Fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

      const self = await call(`${BASE}/generate`, {
        alias: 'selfie',
        cn: 'self.example.org',
        signedBy: 'self',
      });
      assert.equal(self.status, 'success');
      const sd = await call(`${BASE}/selfie`, {}, 'GET');
      assert.equal(sd.issuer, sd.subject);
      assert.equal(sd.keyAlgorithm, 'RSA');
      assert.equal(sd.keySize, 2048);
      assert.deepEqual(sd.chain, []);

      const before = await snapshot(portal);
      const dup = await call(`${BASE}/generate`, { alias: 'gis', cn: 'x.example.org' });
      assert.equal(dup.errorCode, 'pki.alias_exists');
      const badSize = await call(`${BASE}/generate`, {
        alias: 'weak',
        cn: 'x.example.org',
        keyAlg: 'RSA',
        keySize: 1024,
      });
      assert.equal(badSize.errorCode, 'pki.invalid_request');
      assert.deepEqual(await snapshot(portal), before);
      assert.equal((await call(`${BASE}/nope`, {}, 'GET')).errorCode, 'pki.alias_not_found');
    });

    test('PKCS#12 from openssl pkcs12 -export (AES default and -legacy) imports; bad files change nothing', async () => {
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
      const serverFp = new X509Certificate(dir.read('server.pem')).fingerprint256;
      for (const name of ['aes', 'legacy']) {
        const r = await upload(
          portal,
          `${BASE}/importExistingServerCertificate`,
          { token, alias: `pfx-${name}`, certPassword: 's3cret' },
          { name: `${name}.pfx`, data: dir.read(`${name}.pfx`) },
        );
        assert.equal(r.status, 'success', JSON.stringify(r));
        assert.equal(r.chainComplete, true);
        const d = await call(`${BASE}/pfx-${name}`, {}, 'GET');
        assert.equal(d.sha256Fingerprint, serverFp);
        assert.equal(d.hasPrivateKey, true);
        assert.equal(d.chain[0].subject, 'CN=Example Corp Issuing CA, O=Meridian Tests');
      }

      const before = await snapshot(portal);
      const aes = dir.read('aes.pfx');
      const cases: [string, Record<string, string>, { name: string; data: Uint8Array | string }, string][] = [
        [
          'wrong password',
          { certPassword: 'wrong' },
          { name: 'aes.pfx', data: aes },
          'pki.pkcs12_wrong_password',
        ],
        [
          'truncated',
          { certPassword: 's3cret' },
          { name: 'aes.pfx', data: aes.subarray(0, Math.floor(aes.length / 2)) },
          'pki.pkcs12_truncated',
        ],
        [
          'certificate without key',
          {},
          { name: 'server.pem', data: dir.read('server.pem') },
          'pki.no_private_key',
        ],
        [
          'PEM with garbage',
          {},
          {
            name: 'bad.pem',
            data: `${dir.read('server.key')}-----BEGIN CERTIFICATE-----\nMIIB!!garbage\n-----END CERTIFICATE-----\n`,
          },
          'pki.not_a_certificate',
        ],
        [
          'key of another certificate',
          {},
          { name: 'mixed.pem', data: `${dir.read('ca.key')}${dir.read('server.pem')}` },
          'pki.key_mismatch',
        ],
      ];
      for (const [what, fields, file, code] of cases) {
        const r = await upload(
          portal,
          `${BASE}/importExistingServerCertificate`,
          { token, alias: 'bad-import', ...fields },
          file,
        );
        assert.equal(r.errorCode, code, `${what}: ${JSON.stringify(r)}`);
        assert.ok(r.messages[0].length > 20, what);
        assert.deepEqual(await snapshot(portal), before, `${what} left the store unchanged`);
      }
      // PEM key + chain works too.
      const pem = await upload(
        portal,
        `${BASE}/importExistingServerCertificate`,
        { token, alias: 'pem-import' },
        { name: 'all.pem', data: `${dir.read('server.key')}${dir.read('server.pem')}${caPem}` },
      );
      assert.equal(pem.status, 'success', JSON.stringify(pem));
    });

    test('CSR → openssl x509 -req → importSignedCertificate (PEM, DER, PKCS#7) → web server certificate, checked by openssl', async () => {
      const csr = await call(`${BASE}/web2/generateCSR`, {
        cn: 'localhost',
        org: 'Example',
        san: 'localhost,127.0.0.1',
      });
      assert.equal(csr.status, 'success', JSON.stringify(csr));
      assert.match(csr.certificateSigningRequest, /^-----BEGIN CERTIFICATE REQUEST-----/);
      dir.write('web2.csr', csr.certificateSigningRequest);
      assert.match(
        openssl(['req', '-in', 'web2.csr', '-noout', '-verify', '-subject'], dir.path),
        /CN\s?=\s?localhost/,
      );
      // The key is kept with a self-signed placeholder until the reply arrives.
      const placeholder = await call(`${BASE}/web2`, {}, 'GET');
      assert.equal(placeholder.issuer, placeholder.subject);
      // A second CSR for the existing alias repeats its subject.
      const again = await call(`${BASE}/web2/generateCSR`);
      dir.write('again.csr', again.certificateSigningRequest);
      assert.match(openssl(['req', '-in', 'again.csr', '-noout', '-subject'], dir.path), /O\s?=\s?Example/);

      opensslSign(dir, 'web2.csr', 'web2.pem');
      openssl(['x509', '-in', 'web2.pem', '-outform', 'DER', '-out', 'web2.der'], dir.path);
      openssl(
        ['crl2pkcs7', '-nocrl', '-certfile', 'web2.pem', '-certfile', 'ca.pem', '-out', 'web2.p7b'],
        dir.path,
      );

      // The issuer is not trusted yet: refused, nothing changes.
      const before = await snapshot(portal);
      const incomplete = await upload(
        portal,
        `${BASE}/web2/importSignedCertificate`,
        { token },
        { name: 'web2.pem', data: dir.read('web2.pem') },
      );
      assert.equal(incomplete.errorCode, 'pki.chain_incomplete', JSON.stringify(incomplete));
      assert.match(incomplete.messages[0], /Example Corp Issuing CA/);
      // A reply for another key.
      const other = await upload(
        portal,
        `${BASE}/web2/importSignedCertificate`,
        { token },
        { name: 'server.pem', data: dir.read('server.pem') },
      );
      assert.equal(other.errorCode, 'pki.key_mismatch');
      assert.deepEqual(await snapshot(portal), before);

      const trusted = await upload(
        portal,
        `${BASE}/importRootOrIntermediate`,
        { token, alias: 'example-ca' },
        { name: 'ca.pem', data: caPem },
      );
      assert.deepEqual(trusted, { status: 'success', aliases: ['example-ca'], notes: [] });

      for (const [name, field] of [
        ['web2.der', 'file'],
        ['web2.p7b', 'file'],
        ['web2.pem', 'certificate'],
      ] as const) {
        const r =
          field === 'file'
            ? await upload(
                portal,
                `${BASE}/web2/importSignedCertificate`,
                { token },
                { name, data: dir.read(name) },
              )
            : await call(`${BASE}/web2/importSignedCertificate`, { certificate: dir.read(name).toString() });
        assert.equal(r.status, 'success', `${name}: ${JSON.stringify(r)}`);
        assert.equal(r.chainComplete, true);
      }
      const signed = await call(`${BASE}/web2`, {}, 'GET');
      assert.equal(signed.issuer, 'CN=Example Corp Issuing CA, O=Meridian Tests');
      assert.equal(signed.chain[0].subject, 'CN=Example Corp Issuing CA, O=Meridian Tests');
      const expected = new X509Certificate(dir.read('web2.pem')).fingerprint256;

      const use = await call(`${BASE}/update`, { webServerCertificateAlias: 'web2' });
      assert.equal(use.status, 'success', JSON.stringify(use));
      const served = await eventually(
        5000,
        () => servedCertificate(portal.httpsPort),
        (c) => c.fingerprint256 === expected,
      );
      assert.equal(served.fingerprint256, expected, 'new connections get the new certificate');

      const sClient = await run(
        'openssl',
        [
          's_client',
          '-connect',
          `127.0.0.1:${portal.httpsPort}`,
          '-servername',
          'localhost',
          '-verify_return_error',
          '-verify_hostname',
          'localhost',
          '-CAfile',
          'ca.pem',
          '-showcerts',
        ],
        dir.path,
      );
      assert.ok(sClient.ok, sClient.out);
      assert.match(sClient.out, /Verify return code: 0 \(ok\)/);
      // The served chain: the leaf then the CA, which openssl verify accepts.
      const blocks = sClient.out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      assert.equal(blocks.length, 2);
      dir.write('served-leaf.pem', `${blocks[0]}\n`);
      dir.write('served-chain.pem', `${blocks[1]}\n`);
      assert.match(
        openssl(
          ['verify', '-CAfile', 'ca.pem', '-untrusted', 'served-chain.pem', 'served-leaf.pem'],
          dir.path,
        ),
        /served-leaf\.pem: OK/,
      );
      // Another CA does not verify it.
      assert.equal(
        tryOpenssl(['verify', '-CAfile', 'served-leaf.pem', 'served-leaf.pem'], dir.path).ok,
        false,
      );

      const list = await call(BASE, {}, 'GET');
      assert.equal(list.webServerCertificateAlias, 'web2');
      assert.equal(list.certificates.find((c: { alias: string }) => c.alias === 'web2').inUse, true);

      // Renewal in place: the CA signs the same CSR again; importing the reply into the alias in use swaps it live.
      opensslSign(dir, 'web2.csr', 'web2-renewed.pem');
      const renewedFp = new X509Certificate(dir.read('web2-renewed.pem')).fingerprint256;
      assert.notEqual(renewedFp, expected);
      const renewal = await call(`${BASE}/web2/importSignedCertificate`, {
        certificate: dir.read('web2-renewed.pem').toString(),
      });
      assert.equal(renewal.status, 'success');
      const renewed = await eventually(
        5000,
        () => servedCertificate(portal.httpsPort),
        (c) => c.fingerprint256 === renewedFp,
      );
      assert.equal(renewed.fingerprint256, renewedFp, 'the renewed certificate is served without a restart');

      // Deleting the certificate in use is refused, and changes nothing.
      const snap = await snapshot(portal);
      const refused = await call(`${BASE}/web2/delete`);
      assert.equal(refused.errorCode, 'pki.alias_in_use');
      assert.match(refused.messages[0], /web server certificate/);
      assert.deepEqual(await snapshot(portal), snap);
      // Switch back; then the old one can go.
      assert.equal((await call(`${BASE}/update`, { webServerCertificateAlias: 'portal' })).status, 'success');
      assert.equal((await call(`${BASE}/web2/delete`)).status, 'success');
      assert.equal((await call(`${BASE}/web2`, {}, 'GET')).errorCode, 'pki.alias_not_found');
    });

    test('update validates everything before changing anything', async () => {
      const before = await snapshot(portal);
      const invalid: Record<string, string>[] = [
        { webServerCertificateAlias: 'missing' },
        { sslProtocols: 'TLSv1.1' },
        { cipherSuites: 'RC4-SHA' },
        { sniCertificates: '{not json' },
        { sniCertificates: JSON.stringify({ 'gis.example.org': 'missing' }) },
      ];
      for (const fields of invalid) {
        const r = await call(`${BASE}/update`, { ...fields, HSTSEnabled: true });
        assert.equal(r.errorCode, 'tls.setting_invalid', JSON.stringify(fields));
      }
      assert.deepEqual(await snapshot(portal), before);
      const sni = await call(`${BASE}/update`, {
        sniCertificates: JSON.stringify({ 'gis.example.org': 'gis' }),
      });
      assert.equal(sni.status, 'success');
      const gisFp = (await call(`${BASE}/gis`, {}, 'GET')).sha256Fingerprint;
      const served = await eventually(
        5000,
        () => servedCertificate(portal.httpsPort, 'gis.example.org'),
        (c) => c.fingerprint256 === gisFp,
      );
      assert.equal(served.fingerprint256, gisFp, 'SNI name served its own certificate');
      assert.equal((await call(`${BASE}/gis/delete`)).errorCode, 'pki.alias_in_use');
      assert.equal((await call(`${BASE}/update`, { sniCertificates: '{}' })).status, 'success');
    });

    test('export: DER (.cer) readable by openssl x509 -inform DER, PEM; never a key', async () => {
      const der = await portal.fetch(`${BASE}/gis/export?token=${token}`);
      assert.equal(der.status, 200);
      assert.equal(der.headers.get('content-type'), 'application/pkix-cert');
      assert.equal(der.headers.get('content-disposition'), 'attachment; filename="gis.cer"');
      dir.write('gis.cer', Buffer.from(await der.arrayBuffer()));
      assert.match(
        openssl(['x509', '-inform', 'DER', '-in', 'gis.cer', '-noout', '-subject'], dir.path),
        /CN\s?=\s?gis\.example\.org/,
      );
      const pem = await portal.fetch(`${BASE}/gis/export?format=pem&includeChain=true&token=${token}`);
      const text = await pem.text();
      assert.equal(pem.headers.get('content-disposition'), 'attachment; filename="gis.pem"');
      assert.equal(text.match(/BEGIN CERTIFICATE/g)?.length, 2);
      assert.doesNotMatch(text, /PRIVATE KEY/);
      const missing = await portal.fetch(`${BASE}/nope/export?token=${token}`);
      assert.equal(((await missing.json()) as { errorCode: string }).errorCode, 'pki.alias_not_found');
    });

    test('curl --cacert with the exported portal CA succeeds against the portal; without it fails', async () => {
      const res = await portal.fetch(`/portaladmin/security/trustStore/export-ca?token=${token}`);
      const ca = await res.text();
      assert.equal(ca, portal.caCertPem);
      dir.write('portal-ca.pem', ca);
      const url = `https://localhost:${portal.httpsPort}/sharing/rest/info?f=json`;
      const good = await run('curl', [
        '-sS',
        '--fail',
        '--cacert',
        dir.file('portal-ca.pem'),
        '--resolve',
        `localhost:${portal.httpsPort}:127.0.0.1`,
        url,
      ]);
      assert.ok(good.ok, good.out);
      assert.ok(JSON.parse(good.out).authInfo);
      const bad = await run('curl', [
        '-sS',
        '--fail',
        '--cacert',
        dir.file('ca.pem'),
        '--resolve',
        `localhost:${portal.httpsPort}:127.0.0.1`,
        url,
      ]);
      assert.equal(bad.ok, false);
      assert.match(bad.out, /certificate/i);
    });

    test('healthCheck lists a certificate that expires within tls.expiryWarningDays', async () => {
      const ok = await call('/portaladmin/healthCheck', {}, 'GET');
      assert.equal(ok.status, 'ok', JSON.stringify(ok));
      assert.deepEqual(ok.warnings, []);
      await call(`${BASE}/generate`, { alias: 'short', cn: 'short.example.org', validity: 5 });
      const warn = await call('/portaladmin/healthCheck', {}, 'GET');
      assert.equal(warn.status, 'warning');
      const [w] = warn.warnings;
      assert.equal(w.store, 'certificates');
      assert.equal(w.alias, 'short');
      assert.equal(w.state, 'expiring');
      assert.ok(w.daysLeft <= 5);
      assert.match(w.message, /expires in \d day/);
      const listed = (await call(BASE, {}, 'GET')).certificates.find(
        (c: { alias: string }) => c.alias === 'short',
      );
      assert.equal(listed.expiryState, 'expiring');
      assert.equal((await call(`${BASE}/short/delete`)).status, 'success');
    });
  });
}
