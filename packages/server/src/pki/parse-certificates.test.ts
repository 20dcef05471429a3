import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GeneratedCertificate } from './generate-certificate.ts';
import { generateCertificate } from './generate-certificate.ts';
import { generateCsr } from './generate-csr.ts';
import { parseCertificateFile, parseCertificates } from './parse-certificates.ts';
import { asIssuer, caHierarchy, leafOptions, openssl, type TempDir, tempDir } from './test-helpers.ts';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'no error';
};

describe('parseCertificates', () => {
  let dir: TempDir;
  let root: GeneratedCertificate;
  let inter: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  before(async () => {
    dir = tempDir();
    ({ root, inter } = await caHierarchy());
    leaf = await generateCertificate(leafOptions({ issuer: asIssuer(inter) }));
  });
  after(() => dir.remove());

  test('PEM single and bundle, in file order', () => {
    assert.equal(parseCertificates(leaf.certPem).length, 1);
    const bundle = parseCertificates(`${leaf.certPem}${inter.certPem}\n\n${root.certPem}`);
    assert.deepEqual(
      bundle.map((c) => c.fingerprint256),
      [leaf, inter, root].map((g) => parseCertificates(g.certPem)[0]!.fingerprint256),
    );
  });

  test('DER, bare Base-64 and PKCS#7 (DER and PEM) written by openssl', () => {
    dir.write('leaf.pem', leaf.certPem);
    dir.write('inter.pem', inter.certPem);
    openssl(['x509', '-in', dir.file('leaf.pem'), '-outform', 'DER', '-out', dir.file('leaf.cer')]);
    const der = dir.read('leaf.cer');
    const fromDer = parseCertificateFile(der);
    assert.equal(fromDer.format, 'der');
    assert.equal(fromDer.certificates[0]!.fingerprint256, parseCertificates(leaf.certPem)[0]!.fingerprint256);
    assert.equal(parseCertificateFile(der.toString('base64')).format, 'base64');

    openssl([
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      dir.file('leaf.pem'),
      '-certfile',
      dir.file('inter.pem'),
      '-out',
      dir.file('b.p7b'),
    ]);
    openssl([
      'crl2pkcs7',
      '-nocrl',
      '-certfile',
      dir.file('leaf.pem'),
      '-certfile',
      dir.file('inter.pem'),
      '-outform',
      'DER',
      '-out',
      dir.file('b.p7c'),
    ]);
    for (const f of ['b.p7b', 'b.p7c']) {
      const p = parseCertificateFile(dir.read(f));
      assert.equal(p.format, 'pkcs7');
      assert.equal(p.certificates.length, 2);
    }
  });

  test('private keys in a PEM file are skipped, never returned', () => {
    const p = parseCertificateFile(`${leaf.keyPem}${leaf.certPem}`);
    assert.equal(p.certificates.length, 1);
    assert.deepEqual(p.skipped, ['PRIVATE KEY']);
  });

  test('garbage is refused with what was found', () => {
    assert.throws(
      () => parseCertificates('hello, this is my certificate'),
      (err: Error & { code: string }) => {
        assert.equal(err.code, 'pki.not_a_certificate');
        assert.match(err.message, /expected PEM, DER or PKCS#7, found text starting with "hello, this/);
        return true;
      },
    );
    assert.equal(
      codeOf(() => parseCertificates(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]))),
      'pki.not_a_certificate',
    );
    assert.equal(
      codeOf(() => parseCertificates('')),
      'pki.not_a_certificate',
    );
    assert.throws(() => parseCertificates(leaf.keyPem), /found only "PRIVATE KEY" block/);
  });

  test('a CSR is recognised and explained', async () => {
    const csr = await generateCsr({ keyPem: leaf.keyPem, cn: 'localhost' });
    assert.throws(() => parseCertificates(csr), /certificate signing request/);
  });

  test('truncated PEM and DER are refused as truncated, with the line', () => {
    const lines = `x\n${leaf.certPem}`.split('\n');
    const noEnd = lines.filter((l) => !l.startsWith('-----END')).join('\n');
    assert.throws(
      () => parseCertificates(noEnd),
      (err: Error & { code: string }) => {
        assert.equal(err.code, 'pki.certificate_truncated');
        assert.match(err.message, /PEM block "CERTIFICATE" at line 2 is truncated/);
        return true;
      },
    );
    const cut = [...lines.slice(0, 4), lines.at(-2), ''].join('\n');
    assert.equal(
      codeOf(() => parseCertificates(cut)),
      'pki.certificate_truncated',
    );
    const der = parseCertificates(leaf.certPem)[0]!.raw;
    assert.equal(
      codeOf(() => parseCertificates(der.subarray(0, der.length - 20))),
      'pki.certificate_truncated',
    );
  });

  test('a PEM body altered with non-Base-64 characters is refused', () => {
    const bad = leaf.certPem.replace(/\n([A-Za-z0-9+/]{10})/, '\n!!$1');
    assert.equal(
      codeOf(() => parseCertificates(bad)),
      'pki.not_a_certificate',
    );
  });
});
