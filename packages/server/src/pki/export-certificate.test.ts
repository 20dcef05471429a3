import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportCertificate } from './export-certificate.ts';
import { generateCertificate } from './generate-certificate.ts';
import { parseCertificates } from './parse-certificates.ts';
import { asIssuer, caHierarchy, openssl, type TempDir, tempDir } from './test-helpers.ts';

describe('exportCertificate', () => {
  let dir: TempDir;
  before(() => {
    dir = tempDir();
  });
  after(() => dir.remove());

  test('DER .cer readable by openssl, PEM with chain, never a private key', async () => {
    const { root, inter } = await caHierarchy('Export');
    const leaf = await generateCertificate({
      alias: 'w',
      cn: 'w.test',
      keyAlg: 'EC',
      issuer: asIssuer(inter),
    });
    const input = leaf.keyPem + leaf.certPem + inter.certPem + root.certPem;
    const der = exportCertificate(input, 'der', { name: 'portal web' });
    assert.equal(der.filename, 'portal_web.cer');
    dir.write(der.filename, der.body);
    const subject = openssl(['x509', '-inform', 'DER', '-in', dir.file(der.filename), '-noout', '-subject']);
    assert.match(subject, /CN ?= ?w\.test/);
    const pem = exportCertificate(input, 'pem', { includeChain: true });
    const text = pem.body.toString();
    assert.equal(parseCertificates(text).length, 3);
    assert.doesNotMatch(text, /PRIVATE KEY/);
    assert.doesNotMatch(der.body.toString('latin1'), /PRIVATE KEY/);
    assert.equal(parseCertificates(exportCertificate(input, 'pem').body).length, 1);
  });
});
