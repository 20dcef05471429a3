/**
 * The `meridian` command as a user meets it: the bin shim on the machine's own Node, npm run
 * from another directory, the README's export-ca line redirected to a file, one-line errors
 * for files that cannot be read or written, the help of each command, ISO dates.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { opensslCa } from '../../../server/src/pki/routes/test-support.ts';
import { openssl, type TempDir, tempDir } from '../../../server/src/pki/test-helpers.ts';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { type CliResult, cli, root, runCommand, shellEnv, shim, systemNode } from './test-cli.ts';

/** Node's warnings and Node 20's refusal of --experimental-strip-types. */
const WARNING = /Warning|bad option/;

/** An error as the user should see it: one line naming the problem, no stack trace. */
function oneLine(r: CliResult, pattern: RegExp): void {
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

describe('the meridian command from a user shell', () => {
  let portal: TestPortal;
  let dir: TempDir;
  let caFingerprint: string;
  before(async () => {
    portal = await startTestPortal();
    dir = tempDir('meridian-cli-user-');
    opensslCa(dir, 'Shell Partner CA');
    caFingerprint = new X509Certificate(portal.caCertPem).fingerprint256;
  });
  after(async () => {
    await portal.close();
    dir.remove();
  });

  test("the bin shim runs on the machine's Node, from another directory, with a relative --home, without warnings", async () => {
    const node = systemNode();
    assert.ok(node, 'a node on PATH outside node_modules');
    // The shim as the shell starts it: #!/usr/bin/env node finds the machine's node.
    const r = await runCommand(shim, ['trust', 'export-ca', '--home', basename(portal.home)], {
      cwd: dirname(portal.home),
      env: shellEnv(),
    });
    const version = (await runCommand(node, ['--version'], { env: shellEnv() })).stdout.trim();
    assert.equal(r.stderr, '', `on the machine's Node ${version}`);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, portal.caCertPem.replace(/\r/g, ''));
  });

  test("the README's `trust export-ca > file` line writes a clean PEM that openssl x509 reads", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const line = readme.split('\n').find((l) => /trust export-ca\s*>/.test(l));
    assert.ok(line, 'the README shows how to export the CA to a file');
    const [command, target] = line.trim().split(/\s*>\s*/);
    assert.ok(command && target, line);
    // As a user runs it in the repository, with the portal's data directory.
    const r = await runCommand('sh', ['-c', `${command} > '${dir.file(target)}'`], {
      cwd: root,
      env: shellEnv({ MERIDIAN_HOME: portal.home }),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, WARNING);
    const written = dir.read(target).toString();
    assert.match(written, /^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    const fp = openssl(['x509', '-in', target, '-noout', '-fingerprint', '-sha256'], dir.path);
    assert.equal(fp.trim(), `sha256 Fingerprint=${caFingerprint}`);
  });

  test('npm run meridian in another directory: relative paths (file and --home) are the user’s', async () => {
    dir.write('partner.pem', dir.read('ca.pem'));
    const r = await runCommand(
      'npm',
      [
        '--prefix',
        root,
        'run',
        '--silent',
        'meridian',
        '--',
        'trust',
        'import',
        'partner.pem',
        '--alias',
        'from-npm',
        '--home',
        relative(dir.path, portal.home),
      ],
      { cwd: dir.path, env: shellEnv() },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, WARNING);
    assert.match(r.stdout, /^trusted: from-npm /);
    const listed = await cli(['trust', 'list', '--home', portal.home]);
    assert.match(listed.stdout, /^from-npm\s+CN=Shell Partner CA/m);
  });

  test('a file that cannot be read or written is one line naming it, never a stack trace', async () => {
    const where = ['--home', portal.home];
    oneLine(
      await cli(['trust', 'import', 'no-such.pem', '--alias', 'x', ...where], '', { cwd: dir.path }),
      new RegExp(
        `^meridian: cannot read 'no-such\\.pem' \\(${dir.file('no-such.pem')}\\): no such file or directory$`,
        'm',
      ),
    );
    oneLine(
      await cli(['cert', 'import', 'new-alias', dir.path, ...where]),
      new RegExp(`^meridian: cannot read ${dir.path}: it is a directory$`, 'm'),
    );
    oneLine(
      await cli(['cert', 'export', 'portal', '--out', dir.file('missing/portal.pem'), ...where]),
      /^meridian: cannot write .*missing\/portal\.pem: no such file or directory$/m,
    );
    oneLine(
      await cli(['trust', 'list', '--config', 'absent.json', ...where], '', { cwd: dir.path }),
      new RegExp(`^meridian: Setting config from ${dir.file('absent.json')} must be a readable JSON file\\.`),
    );
    // A data directory that is a file.
    oneLine(
      await cli(['trust', 'list', '--home', dir.file('ca.pem')]),
      new RegExp(`^meridian: .*${dir.file('ca.pem')}.*not a directory`, 'm'),
    );
  });

  test('meridian COMMAND --help, meridian help COMMAND: the help of that command', async () => {
    const users = await cli(['users', '--help']);
    assert.equal(users.code, 0);
    assert.match(users.stdout, /^Usage:\n {2}meridian users add \[USERNAME\]/);
    assert.doesNotMatch(users.stdout, /meridian cert/);
    assert.match((await cli(['help', 'trust'])).stdout, /^Usage:\n {2}meridian trust list/);
    assert.match(
      (await cli(['cert', 'use', '-h'])).stdout,
      /meridian cert use ALIAS \[--sni HOST\] \[--force\]/,
    );
    assert.match((await cli(['doctor', '--help'])).stdout, /--outbound-allow-loopback true/);
    const all = await cli(['--help']);
    assert.match(all.stdout, /^meridian — a self-hosted web GIS portal/);
    const unknown = await cli(['help', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  });

  test('times print as ISO dates', async () => {
    const cert = JSON.parse((await cli(['cert', 'show', 'portal', '--home', portal.home])).stdout);
    assert.match(cert.validFrom, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(cert.validUntil, /^\d{4}-\d\d-\d\dT/);
    assert.match(cert.chain[0].validUntil, /^\d{4}-\d\d-\d\dT/);
    const ca = JSON.parse((await cli(['trust', 'show', 'portal-root-ca', '--home', portal.home])).stdout);
    assert.equal(ca.validUntil, new Date(new X509Certificate(portal.caCertPem).validTo).toISOString());
  });
});
