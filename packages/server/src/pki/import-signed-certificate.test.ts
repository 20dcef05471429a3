import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeCertificate } from './describe-certificate.ts';
import type { GeneratedCertificate } from './generate-certificate.ts';
import { generateCsr } from './generate-csr.ts';
import { importSignedCertificate } from './import-signed-certificate.ts';
import { generateKey } from './keys.ts';
import { caHierarchy, openssl, type TempDir, tempDir } from './test-helpers.ts';

describe('CSR → CA signs with openssl → import the signed reply', () => {
  let dir: TempDir;
  let root: GeneratedCertificate;
  let inter: GeneratedCertificate;
  let keyPem: string;
  let otherKeyPem: string;
  before(async () => {
    dir = tempDir();
    ({ root, inter } = await caHierarchy('CSR'));
    keyPem = (await generateKey({ keyAlg: 'RSA', keySize: 2048 })).keyPem;
    otherKeyPem = (await generateKey({ keyAlg: 'EC', keySize: 256 })).keyPem;
    dir.write('root.pem', root.certPem);
    dir.write('inter.pem', inter.certPem);
    dir.write('inter.key', inter.keyPem);
    const csr = await generateCsr({
      keyPem,
      cn: 'portal.csr.test',
      org: 'Example',
      country: 'US',
      san: ['portal.csr.test', 'gis.csr.test'],
    });
    dir.write('req.csr', csr);
    const otherCsr = await generateCsr({ keyPem: otherKeyPem, cn: 'other.csr.test' });
    dir.write('other.csr', otherCsr);
    for (const [csrFile, out] of [
      ['req.csr', 'signed.pem'],
      ['other.csr', 'other.pem'],
    ]) {
      openssl([
        'x509',
        '-req',
        '-in',
        dir.file(csrFile!),
        '-CA',
        dir.file('inter.pem'),
        '-CAkey',
        dir.file('inter.key'),
        '-set_serial',
        '0x1234abcd',
        '-days',
        '30',
        '-copy_extensions',
        'copy',
        '-out',
        dir.file(out!),
      ]);
    }
    openssl(['x509', '-in', dir.file('signed.pem'), '-outform', 'DER', '-out', dir.file('signed.cer')]);
    openssl([
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      dir.file('signed.pem'),
      '-certfile',
      dir.file('inter.pem'),
      '-out',
      dir.file('signed.p7b'),
    ]);
  });
  after(() => dir.remove());

  test('the CSR is a valid PKCS#10 with subject and SAN', () => {
    const text = openssl(['req', '-in', dir.file('req.csr'), '-noout', '-verify', '-text']);
    assert.match(text, /Subject: C ?= ?US, O ?= ?Example, CN ?= ?portal\.csr\.test/);
    assert.match(text, /DNS:portal\.csr\.test, DNS:gis\.csr\.test/);
  });

  test('PEM reply (leaf only): chain completed from the trust store, leaf → root, verified by openssl', () => {
    const r = importSignedCertificate({
      alias: 'web',
      keyPem,
      reply: dir.read('signed.pem'),
      trustAnchors: [root.certPem, inter.certPem],
    });
    assert.equal(r.chainComplete, true);
    assert.deepEqual(
      r.chain.map((c) => c.subject),
      [
        'CN=portal.csr.test, O=Example, C=US',
        'CN=CSR Issuing CA, O=Meridian Tests',
        'CN=CSR Root CA, O=Meridian Tests',
      ],
    );
    assert.deepEqual(r.chain[0]!.dnsNames, ['portal.csr.test', 'gis.csr.test']);
    dir.write('built-leaf.pem', r.certPem);
    dir.write('built-chain.pem', r.chainPem);
    const out = openssl([
      'verify',
      '-CAfile',
      dir.file('root.pem'),
      '-untrusted',
      dir.file('built-chain.pem'),
      '-purpose',
      'sslserver',
      dir.file('built-leaf.pem'),
    ]);
    assert.match(out, /built-leaf\.pem: OK/);
  });

  test('DER reply with only the root trusted: the intermediate is missing → pki.chain_incomplete', () => {
    assert.throws(
      () =>
        importSignedCertificate({
          alias: 'web',
          keyPem,
          reply: dir.read('signed.cer'),
          trustAnchors: [root.certPem],
        }),
      (err: Error & { code: string }) => {
        assert.equal(err.code, 'pki.chain_incomplete');
        assert.match(err.message, /CN=CSR Issuing CA, O=Meridian Tests/);
        return true;
      },
    );
    const partial = importSignedCertificate({
      alias: 'web',
      keyPem,
      reply: dir.read('signed.cer'),
      trustAnchors: [root.certPem],
      allowIncompleteChain: true,
    });
    assert.equal(partial.chainComplete, false);
    assert.equal(partial.chain.length, 1);
  });

  test('PKCS#7 reply with its intermediate, root from the trust store', () => {
    const r = importSignedCertificate({
      alias: 'web',
      keyPem,
      reply: dir.read('signed.p7b'),
      trustAnchors: [root.certPem],
    });
    assert.equal(r.chain.length, 3);
    assert.equal(r.chain[2]!.sha256Fingerprint, describeCertificate(root.certPem).sha256Fingerprint);
  });

  test('a reply issued for another key → pki.key_mismatch naming the alias', () => {
    assert.throws(
      () =>
        importSignedCertificate({
          alias: 'web',
          keyPem,
          reply: dir.read('other.pem'),
          trustAnchors: [root.certPem, inter.certPem],
        }),
      (err: Error & { code: string }) => {
        assert.equal(err.code, 'pki.key_mismatch');
        assert.match(
          err.message,
          /does not match the private key of alias web: it was issued for a different CSR/,
        );
        return true;
      },
    );
  });
});
