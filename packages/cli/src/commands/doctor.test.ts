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
import { createRootCa } from '../../../server/src/pki/local-ca.ts';
import { eventually } from '../../../server/src/pki/routes/test-support.ts';
import { leafOptions } from '../../../server/src/pki/test-helpers.ts';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli, root, runCommand } from './test-cli.ts';

/** The last line of what the command wrote to stderr. */
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

/** The command the report tells the administrator to run next (the line after "then run:" or "run:"). */
function printedCommand(stdout: string): string {
  const lines = stdout.split('\n');
  const i = lines.findIndex((l) => /run:$/.test(l));
  assert.ok(i >= 0, stdout);
  return lines[i + 1]!.trim();
}

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
    // The command to run next has every flag the check needed, so that it reads the same data.
    assert.equal(
      printedCommand(r.stdout),
      `meridian doctor ${server.url} --trust --fingerprint ${self.details.sha256Fingerprint} --home ${portal.home} --database-url ${portal.config.database.url} --outbound-allow-loopback true`,
    );
    assert.match(lastLine(r.stderr), /\[trust\.self_signed\]$/);
    const json = await cli(['doctor', server.url, '--json', ...where]);
    assert.equal(JSON.parse(json.stdout).code, 'trust.self_signed');
  });

  test('--trust needs the matching fingerprint; then the site is trusted, also by the running portal', async () => {
    assert.equal((await cli(['doctor', server.url, '--trust', ...where])).code, 2);
    const wrong = await cli(['doctor', server.url, '--trust', '--fingerprint', 'AB:CD', ...where]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /\[trust\.fingerprint_mismatch\]/);
    assert.equal((await portal.modules.pki.outbound.diagnose(server.url)).code, 'trust.self_signed');

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
      () => portal.modules.pki.outbound.diagnose(server.url),
      (x) => x.ok,
    );
    assert.equal(live.code, 'ok', 'the running portal trusts it without a restart');
  });

  test('the printed command is complete: pasted into a shell as it is, it trusts the site', async () => {
    const other = await generateCertificate(
      leafOptions({ alias: 'other', cn: 'Partner Two Self Signed', san: ['127.0.0.1'] }),
    );
    const two = await startTlsServer({ key: other.keyPem, cert: other.certPem });
    try {
      const command = printedCommand((await cli(['doctor', two.url, ...where])).stdout);
      const main = `${root}/node_modules/.bin/node ${root}/packages/cli/src/main.ts`;
      const r = await runCommand('sh', ['-c', `meridian() { ${main} "$@"; }; ${command}`]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /Imported into the trust store as 'partner-two-self-signed'/);
      assert.match(r.stdout, /note: 'partner-two-self-signed' .* pins that one server \(127\.0\.0\.1\)/);
      assert.match(r.stdout, /TRUSTED/);
    } finally {
      await two.close();
    }
  });

  test('every problem at once, and no "trust this" when trusting alone would not fix it', async () => {
    const ca = await createRootCa('Doctor Unknown CA');
    const leaf = await generateCertificate(
      leafOptions({ alias: 'named', cn: 'portal-x.example.org', san: ['portal-x.example.org'], issuer: ca }),
    );
    const s = await startTlsServer({ key: leaf.keyPem, cert: leaf.certPem + ca.certPem });
    try {
      const r = await cli(['doctor', s.url, ...where]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /PROBLEM \(trust\.unknown_ca\)/);
      assert.match(
        r.stdout,
        /2 problems, all to be fixed:\n {2}1\. \(trust\.unknown_ca\) .*\n {5}Fix: .*\n {2}2\. \(trust\.hostname_mismatch\) .*not for 127\.0\.0\.1/,
      );
      assert.doesNotMatch(r.stdout, /--trust/);
      assert.doesNotMatch(r.stdout, /Trusting this certificate fixes it/);
      assert.match(lastLine(r.stderr), /\[trust\.unknown_ca\]$/);
    } finally {
      await s.close();
    }
  });

  test('a refused connection is not "Connected"; the last line carries the report\'s code; a loopback address the policy refuses names the flag in a complete command', async () => {
    const refused = await cli(['doctor', `https://127.0.0.1:${await closedPort()}/portal`, ...where]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /PROBLEM \(net\.connection_refused\)/);
    assert.doesNotMatch(refused.stdout, /Connected/);
    assert.match(refused.stdout, /No connection was made to 127\.0\.0\.1:/);
    assert.match(lastLine(refused.stderr), /\[net\.connection_refused\]$/);

    const settings = ['--home', portal.home, '--database-url', portal.config.database.url];
    const policy = await cli(['doctor', server.url, ...settings]);
    assert.equal(policy.code, 1);
    assert.match(policy.stdout, /PROBLEM \(outbound\.address_denied\)/);
    assert.match(policy.stdout, /outbound\.allowLoopback/);
    assert.doesNotMatch(policy.stdout, /Connected/);
    assert.equal(
      printedCommand(policy.stdout),
      `meridian doctor ${server.url} --outbound-allow-loopback true ${settings.join(' ')}`,
    );
    assert.match(lastLine(policy.stderr), /\[outbound\.address_denied\]$/);
  });
});
