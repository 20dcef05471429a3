import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeCertificate } from './describe-certificate.ts';
import { generateCertificate } from './generate-certificate.ts';
import { createRootCa } from './local-ca.ts';
import { openssl, type TempDir, tempDir, tryOpenssl } from './test-helpers.ts';

describe('generateCertificate', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir();
  });
  after(() => dir.remove());

  test('issued by the local CA: openssl verifies it for the SSL server purpose and host', async () => {
    const ca = await createRootCa('Meridian Root CA test');
    const g = await generateCertificate({
      alias: 'portal',
      cn: 'portal.test',
      san: ['portal.test', '127.0.0.1'],
      issuer: ca,
    });
    assert.equal(g.chainPem, ca.certPem);
    dir.write('ca.pem', ca.certPem);
    dir.write('leaf.pem', g.certPem);
    const out = openssl([
      'verify',
      '-CAfile',
      dir.file('ca.pem'),
      '-purpose',
      'sslserver',
      '-verify_hostname',
      'portal.test',
      dir.file('leaf.pem'),
    ]);
    assert.match(out, /leaf\.pem: OK/);
    assert.equal(
      tryOpenssl([
        'verify',
        '-CAfile',
        dir.file('ca.pem'),
        '-verify_hostname',
        'other.test',
        dir.file('leaf.pem'),
      ]).ok,
      false,
    );
    // The key is PKCS#8 and belongs to the certificate.
    dir.write('key.pem', g.keyPem);
    const pubFromKey = openssl(['pkey', '-in', dir.file('key.pem'), '-pubout']);
    const pubFromCert = openssl(['x509', '-in', dir.file('leaf.pem'), '-noout', '-pubkey']);
    assert.equal(pubFromKey, pubFromCert);
  });

  test('self-signed RSA 2048 with the subject fields', async () => {
    const g = await generateCertificate({
      alias: 'test',
      cn: 'gis.example.org',
      org: 'Example',
      country: 'DE',
      keyAlg: 'RSA',
      keySize: 2048,
      validityDays: 30,
    });
    const d = describeCertificate(g.certPem);
    assert.equal(d.selfSigned, true);
    assert.equal(d.keySize, 2048);
    assert.deepEqual(d.subjectAlternativeNames, ['DNS:gis.example.org']);
    assert.equal(d.subject, 'CN=gis.example.org, O=Example, C=DE');
    assert.equal(g.chainPem, '');
    dir.write('self.pem', g.certPem);
    assert.match(openssl(['verify', '-CAfile', dir.file('self.pem'), dir.file('self.pem')]), /OK/);
  });

  test('invalid input is refused before any key is made', async () => {
    const cases = [
      { alias: 'a', cn: 'x.test', country: 'USA' },
      { alias: 'a', cn: '' },
      { alias: 'a b', cn: 'x.test' },
      { alias: 'a', cn: 'x.test', san: ['not a name'] },
      { alias: 'a', cn: 'x.test', keyAlg: 'RSA' as const, keySize: 1024 },
      { alias: 'a', cn: 'x.test', keyAlg: 'EC' as const, keySize: 521 },
      { alias: 'a', cn: 'x.test', validityDays: 0 },
    ];
    for (const c of cases) {
      await assert.rejects(
        generateCertificate(c),
        (err: Error & { code: string }) => err.code === 'pki.invalid_request',
        JSON.stringify(c),
      );
    }
  });
});
