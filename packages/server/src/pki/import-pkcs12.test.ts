import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeCertificate } from './describe-certificate.ts';
import type { GeneratedCertificate } from './generate-certificate.ts';
import { generateCertificate } from './generate-certificate.ts';
import { importKeyAndCertificate } from './import-pkcs12.ts';
import { asIssuer, caHierarchy, openssl, type TempDir, tempDir, tryOpenssl } from './test-helpers.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code ?? String(err);
  }
  return 'no error';
};

describe('PKCS#12 and PEM key import (files written by openssl)', () => {
  let dir: TempDir;
  let root: GeneratedCertificate;
  let inter: GeneratedCertificate;
  let rsaLeaf: GeneratedCertificate;
  let ecLeaf: GeneratedCertificate;
  before(async () => {
    dir = tempDir();
    ({ root, inter } = await caHierarchy('P12'));
    rsaLeaf = await generateCertificate({
      alias: 'rsa',
      cn: 'rsa.p12.test',
      keyAlg: 'RSA',
      issuer: asIssuer(inter),
    });
    ecLeaf = await generateCertificate({
      alias: 'ec',
      cn: 'ec.p12.test',
      keyAlg: 'EC',
      issuer: asIssuer(inter),
    });
    dir.write('chain.pem', inter.certPem + root.certPem);
    for (const [name, g] of [
      ['rsa', rsaLeaf],
      ['ec', ecLeaf],
    ] as const) {
      dir.write(`${name}.key`, g.keyPem);
      dir.write(`${name}.pem`, g.certPem);
      const base = [
        'pkcs12',
        '-export',
        '-in',
        dir.file(`${name}.pem`),
        '-inkey',
        dir.file(`${name}.key`),
        '-certfile',
        dir.file('chain.pem'),
        '-name',
        `${name}-alias`,
        '-passout',
        'pass:s3cret!',
      ];
      openssl([...base, '-out', dir.file(`${name}.p12`)]);
      openssl([...base, '-legacy', '-out', dir.file(`${name}-legacy.p12`)]);
    }
    openssl([
      'pkcs12',
      '-export',
      '-nokeys',
      '-in',
      dir.file('rsa.pem'),
      '-passout',
      'pass:x',
      '-out',
      dir.file('nokey.p12'),
    ]);
  });
  after(() => dir.remove());

  test('openssl wrote the expected encryptions (AES-256-CBC default, RC2-40 / 3DES with -legacy)', () => {
    const modern = tryOpenssl([
      'pkcs12',
      '-in',
      dir.file('rsa.p12'),
      '-info',
      '-noout',
      '-passin',
      'pass:s3cret!',
    ]);
    assert.match(modern.out, /PBES2, PBKDF2, AES-256-CBC/);
    const legacy = tryOpenssl([
      'pkcs12',
      '-in',
      dir.file('rsa-legacy.p12'),
      '-info',
      '-noout',
      '-legacy',
      '-passin',
      'pass:s3cret!',
    ]);
    assert.ok(legacy.ok, `the openssl legacy provider is needed to read -legacy files: ${legacy.out}`);
    assert.match(legacy.out, /pbeWithSHA1And40BitRC2-CBC/);
    assert.match(legacy.out, /pbeWithSHA1And3-KeyTripleDES-CBC/);
  });

  for (const file of ['rsa.p12', 'rsa-legacy.p12', 'ec.p12', 'ec-legacy.p12']) {
    test(`imports ${file}: key, leaf, chain leaf → root, friendly name`, () => {
      const g = file.startsWith('rsa') ? rsaLeaf : ecLeaf;
      const r = importKeyAndCertificate(dir.read(file), 's3cret!');
      assert.equal(r.certPem.trim(), g.certPem.trim());
      assert.equal(r.friendlyName, file.startsWith('rsa') ? 'rsa-alias' : 'ec-alias');
      assert.deepEqual(
        r.chain.map((c) => c.sha256Fingerprint),
        [g, inter, root].map((x) => describeCertificate(x.certPem).sha256Fingerprint),
      );
      assert.match(r.keyPem, /^-----BEGIN PRIVATE KEY-----/);
      // The key is the one openssl packed: same public key.
      dir.write('out.key', r.keyPem);
      assert.equal(
        openssl(['pkey', '-in', dir.file('out.key'), '-pubout']),
        openssl(['pkey', '-in', dir.file(file.startsWith('rsa') ? 'rsa.key' : 'ec.key'), '-pubout']),
      );
    });
  }

  test('wrong password → pki.pkcs12_wrong_password (modern and legacy)', () => {
    assert.equal(
      code(() => importKeyAndCertificate(dir.read('rsa.p12'), 'nope')),
      'pki.pkcs12_wrong_password',
    );
    assert.equal(
      code(() => importKeyAndCertificate(dir.read('ec-legacy.p12'), 'nope')),
      'pki.pkcs12_wrong_password',
    );
  });

  test('truncated file → pki.pkcs12_truncated', () => {
    const full = dir.read('rsa.p12');
    assert.equal(
      code(() => importKeyAndCertificate(full.subarray(0, Math.floor(full.length / 2)), 's3cret!')),
      'pki.pkcs12_truncated',
    );
    assert.equal(
      code(() => importKeyAndCertificate(full.subarray(0, 3), 's3cret!')),
      'pki.pkcs12_truncated',
    );
  });

  test('certificate without key → pki.no_private_key', () => {
    assert.equal(
      code(() => importKeyAndCertificate(dir.read('nokey.p12'), 'x')),
      'pki.no_private_key',
    );
    assert.equal(
      code(() => importKeyAndCertificate(rsaLeaf.certPem, undefined)),
      'pki.no_private_key',
    );
  });

  test('a file that is not PKCS#12 → pki.pkcs12_invalid', () => {
    assert.equal(
      code(() => importKeyAndCertificate(Buffer.from('just some text'), 'x')),
      'pki.pkcs12_invalid',
    );
  });

  test('PEM key + certificate + chain, in any order; the chain is completed and ordered', () => {
    const r = importKeyAndCertificate(
      root.certPem + rsaLeaf.keyPem + inter.certPem + rsaLeaf.certPem,
      undefined,
    );
    assert.equal(r.chain.length, 3);
    assert.equal(r.chain[0]!.subject, 'CN=rsa.p12.test');
  });

  test('encrypted PEM key: right and wrong password', () => {
    openssl([
      'pkey',
      '-in',
      dir.file('ec.key'),
      '-aes256',
      '-passout',
      'pass:kpw',
      '-out',
      dir.file('ec-enc.key'),
    ]);
    const text = dir.read('ec-enc.key').toString() + ecLeaf.certPem;
    const r = importKeyAndCertificate(text, 'kpw', { trustAnchors: [root.certPem, inter.certPem] });
    assert.equal(r.chain.length, 3);
    assert.equal(
      code(() => importKeyAndCertificate(text, 'bad')),
      'pki.key_wrong_password',
    );
  });

  test('PEM with garbage or a certificate of another key → the right codes', () => {
    const garbageCert = '-----BEGIN CERTIFICATE-----\nthis is not base64 !!!\n-----END CERTIFICATE-----\n';
    assert.equal(
      code(() => importKeyAndCertificate(rsaLeaf.keyPem + garbageCert, undefined)),
      'pki.not_a_certificate',
    );
    const garbageKey = '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n';
    assert.equal(
      code(() => importKeyAndCertificate(garbageKey + rsaLeaf.certPem, undefined)),
      'pki.invalid_private_key',
    );
    assert.equal(
      code(() => importKeyAndCertificate(rsaLeaf.keyPem + ecLeaf.certPem, undefined)),
      'pki.key_mismatch',
    );
    assert.equal(
      code(() => importKeyAndCertificate(rsaLeaf.keyPem, undefined)),
      'pki.not_a_certificate',
    );
  });
});
