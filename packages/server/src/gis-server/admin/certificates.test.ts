/**
 * machines and machines/<m>/sslcertificates on a real GIS server over loopback HTTPS, with
 * certificates made at test time (the server's own CA, and an openssl CA): every operation,
 * every bad input refused with the pki module's error and nothing stored, and the web server
 * certificate swapped live (seen on a new TLS connection).
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { FormData } from 'undici';
import {
  eventually,
  opensslCa,
  opensslServerCert,
  opensslSign,
  servedCertificate,
} from '../../pki/routes/test-support.ts';
import { openssl, type TempDir, tempDir } from '../../pki/test-helpers.ts';
import { startTestGisServer, type TestGisServer } from './test-server.ts';

describe('GIS server admin: machines and sslcertificates', () => {
  let gis: TestGisServer;
  let dir: TempDir;
  let caPem: string;
  let M: string;
  const fp = (s: string) => s.replace(/:/g, '').toLowerCase();
  /** Everything the certificate and trust stores and the HTTPS settings hold. */
  const snapshot = async () => {
    const k = gis.server.kernel.db.kysely;
    return {
      certificates: await k.selectFrom('pki_certificates').selectAll().orderBy('alias').execute(),
      trust: await k.selectFrom('pki_trust_store').selectAll().orderBy('alias').execute(),
      tls: await k.selectFrom('tls_settings').selectAll().execute(),
    };
  };
  const refused = (r: { status: string; errorCode: string }, code: string) => {
    assert.equal(r.status, 'error', JSON.stringify(r));
    assert.equal(r.errorCode, code, JSON.stringify(r));
  };

  before(async () => {
    gis = await startTestGisServer();
    M = `/arcgis/admin/machines/${gis.machine}`;
    dir = tempDir('meridian-gis-admin-pki-');
    caPem = opensslCa(dir, 'GIS Admin Test CA');
    opensslServerCert(dir, 'localhost');
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
        'server.pfx',
        '-passout',
        'pass:pfx-secret',
      ],
      dir.path,
    );
  });
  after(async () => {
    await gis?.close();
    dir?.remove();
  });

  test('machines: one, named by the host name, with its admin URL and web server certificate', async () => {
    const list = await gis.call('/arcgis/admin/machines');
    assert.deepEqual(list, {
      machines: [{ machineName: 'localhost', adminURL: `${gis.server.url}/arcgis/admin` }],
    });
    const m = await gis.call(`/arcgis/admin/machines/LOCALHOST`);
    assert.equal(m.machineName, 'localhost');
    assert.equal(
      m.webServerCertificateAlias,
      (await gis.server.modules.tls.settings()).webServerCertificateAlias,
    );
    assert.equal(m.webServerSSLEnabled, true);
    refused(await gis.call('/arcgis/admin/machines/other.example.com'), 'gis.machine_not_found');
    refused(
      await gis.call('/arcgis/admin/machines/other.example.com/sslcertificates'),
      'gis.machine_not_found',
    );
    const anonymous = await gis.anonymous(M);
    assert.deepEqual([anonymous.status, anonymous.code], ['error', 499]);
  });

  test("generate: a certificate from the server's own CA; details in ArcGIS shape with the pki description", async () => {
    const r = await gis.call(`${M}/sslcertificates/generate`, {
      alias: 'gen1',
      keyalg: 'RSA',
      keysize: '2048',
      sigalg: 'SHA256withRSA',
      commonName: 'localhost',
      organizationalUnit: 'GIS',
      organization: 'Meridian Tests',
      city: 'Bern',
      state: 'BE',
      country: 'CH',
      validity: '30',
      san: 'DNS:localhost,IP:127.0.0.1',
    });
    assert.deepEqual(r, { status: 'success' });
    assert.ok((await gis.call(`${M}/sslcertificates`)).certificates.includes('gen1'));
    const c = await gis.call(`${M}/sslcertificates/gen1`);
    assert.equal(c.aliasName, 'gen1');
    assert.equal(c.entryType, 'PrivateKeyEntry');
    assert.match(c.subject, /CN=localhost/);
    assert.match(c.subject, /O=Meridian Tests/);
    assert.deepEqual(
      c.subjectAlternativeName,
      ['DNS:localhost', 'IP:127.0.0.1'],
      'san, DNS:/IP: prefixes read',
    );
    assert.equal(c.keyAlgorithm, 'RSA');
    assert.equal(c.keySize, '2048');
    assert.ok(Math.abs(c.validUntilEpoch - c.validFromEpoch - 30 * 86_400_000) < 86_400_000);
    const ca = new X509Certificate(gis.server.caCertPem);
    assert.equal(c.description.issuedByLocalCa, true, 'issued by the server CA');
    assert.equal(c.issuer, c.description.issuer);
    assert.ok(
      ca.subject.split('\n').every((part) => c.issuer.includes(part)),
      `${c.issuer} vs ${ca.subject}`,
    );
    // An EC key with the signature algorithm it implies.
    const ec = await gis.call(`${M}/sslcertificates/generate`, {
      alias: 'gen-ec',
      keyalg: 'EC',
      keysize: '384',
      sigalg: 'SHA384withECDSA',
    });
    assert.equal(ec.status, 'success', JSON.stringify(ec));
    assert.equal((await gis.call(`${M}/sslcertificates/gen-ec`)).keyAlgorithm.startsWith('EC'), true);
  });

  test('generate: bad inputs are refused with a clear error, nothing stored', async () => {
    const before = await snapshot();
    const g = (p: Record<string, string>) => gis.call(`${M}/sslcertificates/generate`, p);
    const sha1 = await g({ alias: 'x1', sigalg: 'SHA1withRSA' });
    refused(sha1, 'gis.certificate_parameter_invalid');
    assert.match(sha1.messages[0], /SHA256withRSA/);
    refused(await g({ alias: 'x2', keyalg: 'DSA' }), 'gis.certificate_parameter_invalid');
    refused(await g({ alias: 'x3', keysize: '1024' }), 'pki.invalid_request');
    refused(await g({ alias: 'x4', country: 'Switzerland' }), 'pki.invalid_request');
    refused(await g({ alias: 'bad alias!' }), 'pki.invalid_request');
    refused(await g({ alias: 'gen1' }), 'pki.alias_exists');
    assert.match((await g({})).messages[0], /Missing required parameter 'alias'/);
    assert.deepEqual(await snapshot(), before);
  });

  test('importRootOrIntermediate: a CA into the trust store, as a file part or PEM text; garbage refused', async () => {
    const before = await snapshot();
    refused(
      await gis.upload(
        `${M}/sslcertificates/importRootOrIntermediate`,
        { alias: 'junk' },
        { rootCACertificate: 'not a certificate' },
      ),
      'pki.not_a_certificate',
    );
    refused(
      await gis.upload(
        `${M}/sslcertificates/importRootOrIntermediate`,
        { alias: 'half' },
        { rootCACertificate: caPem.slice(0, 300) },
      ),
      'pki.certificate_truncated',
    );
    refused(
      await gis.call(`${M}/sslcertificates/importRootOrIntermediate`, { alias: 'none' }),
      'pki.invalid_request',
    );
    assert.deepEqual(await snapshot(), before);
    const r = await gis.upload(
      `${M}/sslcertificates/importRootOrIntermediate`,
      { alias: 'testca' },
      { rootCACertificate: caPem },
    );
    assert.equal(r.status, 'success', JSON.stringify(r));
    assert.deepEqual(r.aliases, ['testca']);
    const trusted = await gis.server.modules.pki.trust.list();
    assert.ok(trusted.some((t) => t.alias === 'testca' && t.isCA));
    // The same as PEM text is already trusted: a note, not a second entry.
    const again = await gis.call(`${M}/sslcertificates/importRootOrIntermediate`, {
      alias: 'testca2',
      rootCACertificate: caPem,
    });
    assert.equal(again.status, 'success');
    assert.equal(
      (await gis.server.modules.pki.trust.list()).filter((t) => t.alias.startsWith('testca')).length,
      1,
    );
  });

  test('importExistingServerCertificate: a PKCS#12 with its password; wrong password or garbage refused', async () => {
    const pfx = dir.read('server.pfx');
    const before = await snapshot();
    const imp = (fields: Record<string, string>, file: Uint8Array | string = pfx) =>
      gis.upload(`${M}/sslcertificates/importExistingServerCertificate`, fields, { certFile: file });
    refused(await imp({ alias: 'p12', certPassword: 'wrong' }), 'pki.pkcs12_wrong_password');
    refused(
      await imp({ alias: 'p12', certPassword: 'pfx-secret' }, pfx.subarray(0, 200)),
      'pki.pkcs12_truncated',
    );
    refused(await imp({ alias: 'p12', certPassword: 'pfx-secret' }, 'hello'), 'pki.pkcs12_invalid');
    const textFile = await gis.call(`${M}/sslcertificates/importExistingServerCertificate`, {
      alias: 'p12',
      certPassword: 'x',
      certFile: 'abc',
    });
    assert.match(textFile.messages[0], /'certFile' must be sent as a file part/);
    assert.deepEqual(await snapshot(), before);
    const ok = await imp({ alias: 'p12', certPassword: 'pfx-secret' });
    assert.equal(ok.status, 'success', JSON.stringify(ok));
    assert.equal(ok.chainComplete, true);
    const c = await gis.call(`${M}/sslcertificates/p12`);
    assert.match(c.issuer, /GIS Admin Test CA/);
    assert.equal(c.entryType, 'PrivateKeyEntry');
  });

  test('an upload without a token is refused before it is read; nothing stored', async () => {
    const before = await snapshot();
    const form = new FormData();
    form.set('f', 'json');
    form.set('alias', 'anon');
    form.set('rootCACertificate', new Blob([caPem]), 'ca.pem');
    const r = await gis.anonymous(`${M}/sslcertificates/importRootOrIntermediate`, form);
    assert.deepEqual([r.status, r.code], ['error', 499]);
    refused(
      await gis.upload(
        '/arcgis/admin/machines/nope/sslcertificates/importRootOrIntermediate',
        { alias: 'x' },
        { rootCACertificate: caPem },
      ),
      'gis.machine_not_found',
    );
    assert.deepEqual(await snapshot(), before);
  });

  test("generateCSR → the openssl CA signs it → importCASignedCertificate; another key's reply refused", async () => {
    await gis.call(`${M}/sslcertificates/generate`, { alias: 'csr1', commonName: 'localhost' });
    await gis.call(`${M}/sslcertificates/generate`, { alias: 'csr2', commonName: 'localhost' });
    const csr = await gis.call(`${M}/sslcertificates/csr1/generateCSR`);
    assert.match(csr.certificateSigningRequest, /^-----BEGIN CERTIFICATE REQUEST-----/);
    dir.write('csr1.csr', csr.certificateSigningRequest);
    opensslSign(dir, 'csr1.csr', 'csr1.pem');
    const csr2 = (await gis.call(`${M}/sslcertificates/csr2/generateCSR`)).certificateSigningRequest;
    dir.write('csr2.csr', csr2);
    opensslSign(dir, 'csr2.csr', 'csr2.pem');
    const before = await snapshot();
    const importInto = (alias: string, data: string | Buffer) =>
      gis.upload(
        `${M}/sslcertificates/${alias}/importCASignedCertificate`,
        {},
        { caSignedCertificate: data },
      );
    refused(await importInto('csr1', dir.read('csr2.pem')), 'pki.key_mismatch');
    refused(await importInto('csr1', 'garbage'), 'pki.not_a_certificate');
    refused(await importInto('nosuch', dir.read('csr1.pem')), 'pki.alias_not_found');
    assert.deepEqual(await snapshot(), before);
    const ok = await gis.call(`${M}/sslcertificates/csr1/importCASignedCertificate`, {
      caSignedCertificate: dir.read('csr1.pem').toString(),
    });
    assert.equal(ok.status, 'success', JSON.stringify(ok));
    const c = await gis.call(`${M}/sslcertificates/csr1`);
    assert.match(c.issuer, /GIS Admin Test CA/);
    assert.equal(c.description.issuedByLocalCa, false);
    refused(await gis.call(`${M}/sslcertificates/nosuch/generateCSR`), 'pki.alias_not_found');
  });

  test('export: the certificate as DER (default) or PEM; never the key', async () => {
    const c = await gis.call(`${M}/sslcertificates/gen1`);
    const der = await gis.get(`${M}/sslcertificates/gen1/export`);
    assert.equal(der.headers.get('content-type'), 'application/pkix-cert');
    const cert = new X509Certificate(Buffer.from(await der.arrayBuffer()));
    assert.equal(fp(cert.fingerprint256), fp(c.sha256Fingerprint));
    const pem = await (await gis.get(`${M}/sslcertificates/gen1/export?format=pem`)).text();
    assert.match(pem, /^-----BEGIN CERTIFICATE-----/);
    assert.doesNotMatch(pem, /PRIVATE KEY/);
    refused(await gis.call(`${M}/sslcertificates/nosuch/export`), 'pki.alias_not_found');
    refused(await gis.call(`${M}/sslcertificates/nosuch`), 'pki.alias_not_found');
  });

  test('machines/<m>/edit webServerCertificateAlias: served at once on a new TLS connection; unfit ones refused', async () => {
    const port = gis.server.httpsPort;
    const served0 = await servedCertificate(port);
    const gen1 = await gis.call(`${M}/sslcertificates/gen1`);
    assert.notEqual(fp(served0.fingerprint256), fp(gen1.sha256Fingerprint));
    // A certificate for another host name is refused; nothing changes.
    await gis.call(`${M}/sslcertificates/generate`, { alias: 'elsewhere', commonName: 'other.example.com' });
    const before = await snapshot();
    refused(
      await gis.call(`${M}/edit`, { webServerCertificateAlias: 'elsewhere' }),
      'pki.unsuitable_server_certificate',
    );
    refused(await gis.call(`${M}/edit`, { webServerCertificateAlias: 'nosuch' }), 'tls.setting_invalid');
    refused(
      await gis.call(`${M}/edit`, { adminURL: 'https://elsewhere:1/arcgis/admin' }),
      'gis.machine_edit_invalid',
    );
    assert.deepEqual(await snapshot(), before);

    assert.deepEqual(await gis.call(`${M}/edit`, { webServerCertificateAlias: 'gen1' }), {
      status: 'success',
    });
    assert.equal((await gis.call(M)).webServerCertificateAlias, 'gen1');
    const served = await eventually(
      3000,
      () => servedCertificate(port),
      (x) => fp(x.fingerprint256) === fp(gen1.sha256Fingerprint),
    );
    assert.equal(fp(served.fingerprint256), fp(gen1.sha256Fingerprint), 'a new connection gets gen1');

    // The PKCS#12 import (issued by the openssl CA) serves too.
    assert.equal((await gis.call(`${M}/edit`, { webServerCertificateAlias: 'p12' })).status, 'success');
    const p12 = await gis.call(`${M}/sslcertificates/p12`);
    const served2 = await eventually(
      3000,
      () => servedCertificate(port),
      (x) => fp(x.fingerprint256) === fp(p12.sha256Fingerprint),
    );
    assert.equal(fp(served2.fingerprint256), fp(p12.sha256Fingerprint));

    // The one in use cannot be deleted; another can.
    refused(await gis.call(`${M}/sslcertificates/p12/delete`), 'pki.alias_in_use');
    assert.deepEqual(await gis.call(`${M}/sslcertificates/elsewhere/delete`), { status: 'success' });
    assert.ok(!(await gis.call(`${M}/sslcertificates`)).certificates.includes('elsewhere'));
    refused(await gis.call(`${M}/sslcertificates/elsewhere/delete`), 'pki.alias_not_found');
  });
});
