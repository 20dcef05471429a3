import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { describeCertificate } from '../describe-certificate.ts';
import { type GeneratedCertificate, generateCertificate } from '../generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../local-ca.ts';
import { asIssuer, caHierarchy, leafOptions } from '../test-helpers.ts';
import { type DiagnoseOptions, diagnose } from './diagnose.ts';
import { diagnosisError } from './report.ts';
import { closedPort, type RunningServer, startSilentServer, startTlsServer } from './test-servers.ts';

const DAY = 86_400_000;

describe('diagnose: every case from a real server on 127.0.0.1', () => {
  const servers: RunningServer[] = [];
  let localCa: KeyAndCert;
  let root: GeneratedCertificate;
  let inter: GeneratedCertificate;
  const serve = async (key: string, certChain: string, extra: object = {}) => {
    const s = await startTlsServer({ key, cert: certChain, ...extra });
    servers.push(s);
    return s;
  };
  const opts = (anchors: string[], extra: Partial<DiagnoseOptions> = {}): DiagnoseOptions => ({
    trustAnchors: anchors,
    includePublicRoots: true,
    allowLoopback: true,
    timeoutMs: 3000,
    ...extra,
  });
  before(async () => {
    localCa = await createRootCa('Partner Portal CA');
    ({ root, inter } = await caHierarchy('Diag'));
  });
  after(async () => {
    for (const s of servers) await s.close();
  });

  test('ok: leaf issued by a trusted local CA; steps in order', async () => {
    const leaf = await generateCertificate(leafOptions({ issuer: localCa }));
    const s = await serve(leaf.keyPem, leaf.certPem + localCa.certPem);
    const r = await diagnose(s.url, opts([localCa.certPem]));
    assert.equal(r.code, 'ok', r.message);
    assert.equal(r.ok, true);
    assert.equal(r.address, '127.0.0.1');
    assert.equal(r.presentedChain.length, 2);
    assert.equal(r.presentedChain[0]!.sha256Fingerprint, leaf.details.sha256Fingerprint);
    assert.deepEqual(
      r.steps.map((x) => x.name),
      [
        'resolve',
        'connect',
        'capture_chain',
        'check_validity',
        'check_chain',
        'check_host',
        'check_key_usage',
      ],
    );
    assert.ok(r.steps.every((x) => x.ok));
  });

  test('trust.unknown_ca: the partner portal sends its chain with a root we do not trust; trusting it fixes it', async () => {
    const leaf = await generateCertificate(leafOptions({ issuer: localCa }));
    const s = await serve(leaf.keyPem, leaf.certPem + localCa.certPem);
    const r = await diagnose(s.url, opts([]));
    assert.equal(r.code, 'trust.unknown_ca');
    const caFp = describeCertificate(localCa.certPem).sha256Fingerprint;
    assert.match(r.message, /Partner Portal CA/);
    assert.ok(r.message.includes(caFp));
    assert.match(r.fix, /meridian trust import <file> --alias <name>/);
    assert.match(r.fix, /importRootOrIntermediate/);
    assert.equal(r.suggestedTrust?.sha256Fingerprint, caFp);
    const err = diagnosisError(r);
    assert.equal(err.code, 'trust.unknown_ca');
    assert.equal((err.data!.diagnosis as { code: string }).code, 'trust.unknown_ca');
    const again = await diagnose(s.url, opts([r.suggestedTrust!.pem]));
    assert.equal(again.code, 'ok');
  });

  test('trust.unknown_ca: leaf + intermediate sent, root neither sent nor trusted', async () => {
    const leaf = await generateCertificate(leafOptions({ issuer: asIssuer(inter) }));
    const s = await serve(leaf.keyPem, leaf.certPem + inter.certPem);
    const r = await diagnose(s.url, opts([]));
    assert.equal(r.code, 'trust.unknown_ca');
    assert.equal(r.missingIssuer?.subject, 'CN=Diag Root CA, O=Meridian Tests');
  });

  test('trust.self_signed, and ok once that certificate is trusted', async () => {
    const self = await generateCertificate(leafOptions({ alias: 'self' }));
    const s = await serve(self.keyPem, self.certPem);
    const r = await diagnose(s.url, opts([]));
    assert.equal(r.code, 'trust.self_signed');
    assert.equal(r.suggestedTrust?.sha256Fingerprint, self.details.sha256Fingerprint);
    assert.ok(r.message.includes(self.details.sha256Fingerprint));
    assert.equal((await diagnose(s.url, opts([self.certPem]))).code, 'ok');
  });

  test('trust.incomplete_chain: the server does not send its intermediate', async () => {
    const leaf = await generateCertificate(
      leafOptions({ issuer: asIssuer(inter), caIssuersUrl: 'http://pki.diag.test/issuing-ca.cer' }),
    );
    const s = await serve(leaf.keyPem, leaf.certPem);
    const r = await diagnose(s.url, opts([root.certPem]));
    assert.equal(r.code, 'trust.incomplete_chain');
    assert.match(r.message, /CN=Diag Issuing CA, O=Meridian Tests/);
    assert.match(r.message, /http:\/\/pki\.diag\.test\/issuing-ca\.cer/);
    assert.deepEqual(r.missingIssuer?.caIssuersUrls, ['http://pki.diag.test/issuing-ca.cer']);
    // Trusting the intermediate (or sending it) completes the chain.
    assert.equal((await diagnose(s.url, opts([root.certPem, inter.certPem]))).code, 'ok');
  });

  test('trust.expired and trust.not_yet_valid, with dates', async () => {
    const old = await generateCertificate(
      leafOptions({ issuer: localCa, validityDays: 30, now: new Date(Date.now() - 400 * DAY) }),
    );
    const s1 = await serve(old.keyPem, old.certPem + localCa.certPem);
    const r1 = await diagnose(s1.url, opts([localCa.certPem]));
    assert.equal(r1.code, 'trust.expired');
    assert.ok(r1.message.includes(new Date(old.details.validUntil).toISOString()));
    const future = await generateCertificate(
      leafOptions({ issuer: localCa, now: new Date(Date.now() + 10 * DAY) }),
    );
    const s2 = await serve(future.keyPem, future.certPem + localCa.certPem);
    const r2 = await diagnose(s2.url, opts([localCa.certPem]));
    assert.equal(r2.code, 'trust.not_yet_valid');
  });

  test('trust.hostname_mismatch names what the certificate carries', async () => {
    const leaf = await generateCertificate(
      leafOptions({
        cn: 'portal-b.example.org',
        san: ['portal-b.example.org', 'gis.example.org'],
        issuer: localCa,
      }),
    );
    const s = await serve(leaf.keyPem, leaf.certPem + localCa.certPem);
    const r = await diagnose(s.url, opts([localCa.certPem]));
    assert.equal(r.code, 'trust.hostname_mismatch');
    assert.deepEqual(r.certificateNames, ['portal-b.example.org', 'gis.example.org']);
    assert.match(r.message, /issued for portal-b\.example\.org, gis\.example\.org, not for 127\.0\.0\.1/);
  });

  test('trust.bad_key_usage: a client-only certificate used by a server', async () => {
    const leaf = await generateCertificate(
      leafOptions({ issuer: localCa, extendedKeyUsage: ['clientAuth'] }),
    );
    const s = await serve(leaf.keyPem, leaf.certPem + localCa.certPem);
    const r = await diagnose(s.url, opts([localCa.certPem]));
    assert.equal(r.code, 'trust.bad_key_usage');
    assert.match(r.message, /clientAuth/);
  });

  test('every problem at once: an untrusted CA and a name mismatch; no "trust this", since trusting alone would not fix it', async () => {
    const leaf = await generateCertificate(
      leafOptions({ cn: 'portal-c.example.org', san: ['portal-c.example.org'], issuer: localCa }),
    );
    const s = await serve(leaf.keyPem, leaf.certPem + localCa.certPem);
    const r = await diagnose(s.url, opts([]));
    assert.equal(r.code, 'trust.unknown_ca');
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['trust.unknown_ca', 'trust.hostname_mismatch'],
    );
    assert.match(r.message, /^2 problems: \(1\) .*Partner Portal CA.*\(2\) .*not for 127\.0\.0\.1/);
    assert.match(r.fix, /importRootOrIntermediate/);
    assert.match(r.fix, /subject alternative names/);
    assert.deepEqual(r.certificateNames, ['portal-c.example.org']);
    assert.equal(r.suggestedTrust, undefined, 'trusting the CA would still leave the name mismatch');
    assert.deepEqual(
      r.steps.map((x) => [x.name, x.ok]),
      [
        ['resolve', true],
        ['connect', true],
        ['capture_chain', true],
        ['check_validity', true],
        ['check_chain', false],
        ['check_host', false],
        ['check_key_usage', true],
      ],
    );
    // Once the CA is trusted, the name mismatch is what is left.
    const after = await diagnose(s.url, opts([localCa.certPem]));
    assert.deepEqual(
      after.problems.map((p) => p.code),
      ['trust.hostname_mismatch'],
    );
  });

  test('an expired self-signed certificate: both problems, and trusting it is not offered', async () => {
    const old = await generateCertificate(
      leafOptions({ alias: 'old-self', validityDays: 30, now: new Date(Date.now() - 400 * DAY) }),
    );
    const s = await serve(old.keyPem, old.certPem);
    const r = await diagnose(s.url, opts([]));
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['trust.expired', 'trust.self_signed'],
    );
    assert.equal(r.suggestedTrust, undefined);
  });

  test('a client-only certificate from an untrusted CA: both problems, no "trust this"', async () => {
    const leaf = await generateCertificate(
      leafOptions({ issuer: localCa, extendedKeyUsage: ['clientAuth'] }),
    );
    const s = await serve(leaf.keyPem, leaf.certPem + localCa.certPem);
    const r = await diagnose(s.url, opts([]));
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['trust.unknown_ca', 'trust.bad_key_usage'],
    );
    assert.equal(r.suggestedTrust, undefined);
  });

  test('trust.issuer_not_ca: a leaf signed by another end-entity certificate', async () => {
    const notCa = await generateCertificate(leafOptions({ alias: 'notca', cn: 'Not A CA', san: [] }));
    const leaf = await generateCertificate(leafOptions({ issuer: asIssuer(notCa) }));
    const s = await serve(leaf.keyPem, leaf.certPem + notCa.certPem);
    const r = await diagnose(s.url, opts([notCa.certPem]));
    assert.equal(r.code, 'trust.issuer_not_ca');
  });

  test('tls.no_common_protocol: a server that only speaks TLS 1.0/1.1', async () => {
    const leaf = await generateCertificate(leafOptions({ issuer: localCa }));
    const s = await serve(leaf.keyPem, leaf.certPem, {
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    const r = await diagnose(s.url, opts([localCa.certPem]));
    assert.equal(r.code, 'tls.no_common_protocol', r.message);
  });

  test('tls.no_common_cipher: a TLS 1.2 server with only Camellia suites', async () => {
    const leaf = await generateCertificate(leafOptions({ issuer: localCa, keyAlg: 'RSA' }));
    const s = await serve(leaf.keyPem, leaf.certPem, {
      maxVersion: 'TLSv1.2',
      ciphers: 'CAMELLIA128-SHA:CAMELLIA256-SHA',
    });
    const r = await diagnose(s.url, opts([localCa.certPem]));
    assert.equal(r.code, 'tls.no_common_cipher', r.message);
  });

  test('net.connection_refused, net.timeout, net.dns_failure', async () => {
    const port = await closedPort();
    const refused = await diagnose(`https://127.0.0.1:${port}/`, opts([]));
    assert.equal(refused.code, 'net.connection_refused');
    assert.equal(refused.steps.at(-1)?.name, 'connect');

    const silent = await startSilentServer();
    servers.push(silent);
    const t0 = Date.now();
    const timeout = await diagnose(silent.url, opts([], { timeoutMs: 300 }));
    assert.equal(timeout.code, 'net.timeout');
    assert.ok(Date.now() - t0 < 3000);

    const dns = await diagnose('https://no-such-host.invalid/portal', opts([]));
    assert.equal(dns.code, 'net.dns_failure');
    assert.equal(dns.steps.at(-1)?.name, 'resolve');
  });

  test('loopback is refused unless allowed', async () => {
    const leaf = await generateCertificate(leafOptions({ issuer: localCa }));
    const s = await serve(leaf.keyPem, leaf.certPem);
    const r = await diagnose(s.url, opts([localCa.certPem], { allowLoopback: false }));
    assert.equal(r.code, 'outbound.address_denied');
    assert.match(r.fix, /outbound\.allowLoopback/);
  });
});
