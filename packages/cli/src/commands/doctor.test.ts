import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  closedPort,
  type RunningServer,
  startTlsServer,
} from '../../../server/src/pki/diagnose/test-servers.ts';
import {
  type GeneratedCertificate,
  generateCertificate,
} from '../../../server/src/pki/generate-certificate.ts';
import { eventually } from '../../../server/src/pki/routes/test-support.ts';
import { leafOptions } from '../../../server/src/pki/test-helpers.ts';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli } from './test-cli.ts';

describe('meridian doctor', () => {
  let portal: TestPortal;
  let where: string[];
  let self: GeneratedCertificate;
  let server: RunningServer;
  before(async () => {
    portal = await startTestPortal({ database: 'postgres' });
    where = [
      '--home',
      portal.home,
      '--database-url',
      portal.config.database.url,
      '--outbound-allow-loopback',
      'true',
    ];
    self = await generateCertificate(
      leafOptions({ alias: 'self', cn: 'Partner Self Signed', san: ['127.0.0.1'] }),
    );
    server = await startTlsServer({ key: self.keyPem, cert: self.certPem });
  });
  after(async () => {
    await server.close();
    await portal.close();
  });

  test('explains a self-signed certificate in plain words, with its fingerprint and the command that trusts it', async () => {
    const r = await cli(['doctor', server.url, ...where]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /PROBLEM \(trust\.self_signed\)/);
    assert.match(r.stdout, /Fix: /);
    assert.match(r.stdout, /1\. CN=Partner Self Signed/);
    assert.ok(r.stdout.includes(`SHA-256 ${self.details.sha256Fingerprint}`));
    assert.ok(r.stdout.includes(`--trust --fingerprint ${self.details.sha256Fingerprint}`));
    assert.match(r.stderr, /\[trust\.self_signed\]/);
    const json = await cli(['doctor', server.url, '--json', ...where]);
    assert.equal(JSON.parse(json.stdout).code, 'trust.self_signed');
  });

  test('--trust needs the matching fingerprint; then the site is trusted, also by the running portal', async () => {
    assert.equal((await cli(['doctor', server.url, '--trust', ...where])).code, 2);
    const wrong = await cli(['doctor', server.url, '--trust', '--fingerprint', 'AB:CD', ...where]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /\[trust\.fingerprint_mismatch\]/);
    assert.equal((await portal.ctx.outbound.diagnose(server.url)).code, 'trust.self_signed');

    const ok = await cli([
      'doctor',
      server.url,
      '--trust',
      '--fingerprint',
      self.details.sha256Fingerprint,
      '--alias',
      'partner-self',
      ...where,
    ]);
    assert.equal(ok.code, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /Imported into the trust store as 'partner-self'/);
    assert.match(ok.stdout, /TRUSTED/);
    const live = await eventually(
      3000,
      () => portal.ctx.outbound.diagnose(server.url),
      (x) => x.ok,
    );
    assert.equal(live.code, 'ok', 'the running portal trusts it without a restart');
  });

  test('connection refused and a loopback address the policy refuses', async () => {
    const refused = await cli(['doctor', `https://127.0.0.1:${await closedPort()}/portal`, ...where]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /PROBLEM \(net\.connection_refused\)/);
    const policy = await cli([
      'doctor',
      server.url,
      '--home',
      portal.home,
      '--database-url',
      portal.config.database.url,
    ]);
    assert.match(policy.stdout, /outbound\.address_denied/);
    assert.match(policy.stdout, /outbound\.allowLoopback/);
  });
});
