import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeCertificate, expiryOf } from './describe-certificate.ts';
import { generateCertificate } from './generate-certificate.ts';
import { openssl, type TempDir, tempDir } from './test-helpers.ts';

const DAY = 86_400_000;

describe('describeCertificate', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir();
  });
  after(() => dir.remove());

  test('matches what openssl prints for an RSA 3072 certificate', async () => {
    const g = await generateCertificate({
      alias: 'web',
      cn: 'portal.example.com',
      org: 'Example, Inc',
      orgUnit: 'GIS',
      city: 'Redlands',
      state: 'CA',
      country: 'us',
      san: ['portal.example.com', 'DNS:gis.example.com', '10.0.0.5'],
      keyAlg: 'RSA',
      keySize: 3072,
      validityDays: 200,
    });
    const file = dir.write('web.pem', g.certPem);
    const d = describeCertificate(g.certPem);
    const fp256 = openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha256']).trim().split('=')[1];
    const fp1 = openssl(['x509', '-in', file, '-noout', '-fingerprint', '-sha1']).trim().split('=')[1];
    const serial = openssl(['x509', '-in', file, '-noout', '-serial']).trim().split('=')[1];
    const subject = openssl(['x509', '-in', file, '-noout', '-subject', '-nameopt', 'RFC2253'])
      .trim()
      .replace(/^subject=/, '');
    assert.equal(d.sha256Fingerprint, fp256);
    assert.equal(d.sha1Fingerprint, fp1);
    assert.equal(d.serialNumber, serial);
    assert.equal(d.subject.replace(/, (?=[A-Z]+=)/g, ','), subject);
    assert.equal(d.subject, 'CN=portal.example.com, OU=GIS, O=Example\\, Inc, L=Redlands, ST=CA, C=US');
    assert.equal(d.issuer, d.subject);
    assert.deepEqual(d.subjectAlternativeNames, [
      'DNS:portal.example.com',
      'DNS:gis.example.com',
      'IP:10.0.0.5',
    ]);
    assert.equal(d.keyAlgorithm, 'RSA');
    assert.equal(d.keySize, 3072);
    assert.equal(d.isCA, false);
    assert.equal(d.selfSigned, true);
    assert.deepEqual(d.keyUsage, ['digitalSignature', 'keyEncipherment']);
    assert.deepEqual(d.extendedKeyUsage, ['serverAuth', 'clientAuth']);
    assert.equal(d.expiry.state, 'valid');
    assert.ok(Math.abs(d.validUntil - d.validFrom - 200 * DAY) < 120_000);
  });

  test('EC P-384 CA certificate', async () => {
    const g = await generateCertificate({
      alias: 'ca',
      cn: 'Example CA',
      keyAlg: 'EC',
      keySize: 384,
      isCA: true,
      pathLength: 1,
    });
    const d = describeCertificate(g.certPem);
    assert.equal(d.keyAlgorithm, 'EC');
    assert.equal(d.curve, 'P-384');
    assert.equal(d.keySize, 384);
    assert.equal(d.isCA, true);
    assert.equal(d.pathLength, 1);
    assert.ok(d.keyUsage.includes('keyCertSign'));
    assert.match(d.signatureAlgorithm, /ECDSA with SHA-384/);
  });

  test('expiry states with a configurable window', () => {
    const from = 1_000 * DAY;
    const until = from + 100 * DAY;
    assert.equal(expiryOf(from, until, { now: from - 1 }).state, 'not_yet_valid');
    assert.equal(expiryOf(from, until, { now: from + 50 * DAY }).state, 'valid');
    assert.equal(expiryOf(from, until, { now: until - 29 * DAY }).state, 'expiring');
    assert.equal(expiryOf(from, until, { now: until - 29 * DAY, expiringWithinDays: 7 }).state, 'valid');
    assert.equal(expiryOf(from, until, { now: until + 1 }).state, 'expired');
  });
});
