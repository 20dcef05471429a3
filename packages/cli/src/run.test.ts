/**
 * The runner on the portal role's commands (in this process): strict parsing with the unknown
 * option named, the settings flags on every command, the generated group help, and a role
 * offering only its modules' commands.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CommandSpec } from '@meridian/server/kernel/module.ts';
import { pkiModule } from '@meridian/server/pki/module.ts';
import { loadPortalConfig, openPortalNode, portalSettings } from '@meridian/server/roles/portal.ts';
import { portalCli } from '@meridian/server/roles/portal-commands.ts';
import {
  type CommandHelp,
  moduleCommands,
  type OpenCommandNode,
  type RoleCli,
} from '@meridian/server/roles/role-commands.ts';
import { tlsModule } from '@meridian/server/tls/module.ts';
import { commandTable } from './command-table.ts';
import { jobsCommands } from './commands/jobs-commands.ts';
import { runIn } from './test-run.ts';

const portal = portalCli(jobsCommands());

describe('parsing', () => {
  test('an unknown option is a usage error (exit code 2) naming it, and nothing runs', async () => {
    const r = await runIn(portal, ['cert', 'list', '--frob']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^meridian cert list: unknown option '--frob'\. See meridian cert list --help/);
    // Another command's option, a short one, and several at once.
    const other = await runIn(portal, ['trust', 'list', '--cn', 'x', '-q']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^meridian trust list: unknown options '--cn', '-q'\./);
    // A setting's flag written wrong is unknown too (the settings are --kebab-case).
    const setting = await runIn(portal, ['trust', 'list', '--database_url', 'x']);
    assert.match(setting.stderr, /unknown option '--database_url'/);
  });

  test('an option without its value, a boolean option with one, a missing argument or too many: usage errors', async () => {
    const noValue = await runIn(portal, ['cert', 'export', 'portal', '--out']);
    assert.equal(noValue.code, 2);
    assert.match(noValue.stderr, /^meridian cert export: Option '--out <value>' argument missing/);
    const withValue = await runIn(portal, ['cert', 'use', 'portal', '--force=yes']);
    assert.equal(withValue.code, 2);
    assert.match(withValue.stderr, /--force/);
    const missing = await runIn(portal, ['users', 'set-role', 'someone']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /^meridian users set-role: ROLE is missing\.\nUsage:\n {2}meridian users set-role USERNAME ROLE\n/,
    );
    const tooMany = await runIn(portal, ['cert', 'list', 'extra']);
    assert.equal(tooMany.code, 2);
    assert.match(tooMany.stderr, /^meridian cert list: too many arguments: 'extra' \(it takes none\)\./);
    const required = await runIn(portal, ['cert', 'generate', 'web']);
    assert.match(required.stderr, /^meridian cert generate: --cn is required\./);
  });

  test('options before the command: a usage error saying the command comes first', async () => {
    const r = await runIn(portal, ['--home', 'x', 'trust', 'list']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^meridian: --home comes before the command; write the command first: /);
  });

  test('after --, words that look like options are arguments', async () => {
    const r = await runIn(portal, ['cert', 'show', '--', '--frob', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /too many arguments: 'x'/);
  });
});

describe('help', () => {
  test('meridian cert --help lists the cert commands, each with its usage and summary', async () => {
    const r = await runIn(portal, ['cert', '--help']);
    assert.equal(r.code, 0, r.stderr);
    const listed = [...r.stdout.matchAll(/^ {2}meridian cert ([a-z-]+)/gm)].map((m) => m[1]);
    assert.deepEqual(listed, ['list', 'show', 'generate', 'csr', 'import', 'export', 'delete', 'use']);
    assert.doesNotMatch(r.stdout, /meridian (trust|users|doctor|jobs)/);
    assert.match(
      r.stdout,
      /^ {2}meridian cert use ALIAS \[--sni HOST\] \[--force\]\n {6}Serves a certificate/m,
    );
    assert.equal((await runIn(portal, ['help', 'cert'])).stdout, r.stdout);
    assert.equal((await runIn(portal, ['cert', '-h'])).stdout, r.stdout);
  });

  test('meridian cert alone, or an unknown cert command: a usage error with the group help', async () => {
    const alone = await runIn(portal, ['cert']);
    assert.equal(alone.code, 2);
    assert.match(alone.stderr, /^meridian cert: which one\?\nUsage:\n {2}meridian cert list\n/);
    const unknown = await runIn(portal, ['cert', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^meridian cert: unknown command 'cert frobnicate'\./);
  });

  test("a command's help: usage, what it does, its options, required ones said so", async () => {
    const r = await runIn(portal, ['help', 'trust', 'import']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage:\n {2}meridian trust import FILE --alias A\n\nTrusts a CA/);
    assert.match(r.stdout, /\n {2}--alias A +The name it is kept under\. Required\.\n/);
    assert.equal((await runIn(portal, ['trust', 'import', '--help'])).stdout, r.stdout);
    // Help wins over whatever else is on the line.
    assert.equal((await runIn(portal, ['trust', 'import', '--frob', '-h'])).stdout, r.stdout);
  });

  test('meridian help settings lists every settings flag of the role with its variable and default', async () => {
    const r = await runIn(portal, ['help', 'settings']);
    assert.equal(r.code, 0);
    for (const s of portalSettings) assert.ok(r.stdout.includes(`(${s.env}`), s.key);
    assert.match(r.stdout, /\n {2}--https-port N\n {6}HTTPS port\..*\(MERIDIAN_HTTPS_PORT; default 7443\)/s);
    assert.match(r.stdout, /\n {2}--outbound-allow-loopback true\|false\n/);
    assert.match(r.stdout, /\n {2}--config FILE\n/);
    // A secret's default is not shown.
    assert.doesNotMatch(r.stdout, /MERIDIAN_DATABASE_URL;/);
  });

  test('meridian help lists every command of the role', async () => {
    const r = await runIn(portal, []);
    assert.equal(r.code, 0);
    for (const { spec } of portal.commands)
      assert.match(
        r.stdout,
        new RegExp(`\\n {2}${spec.name} +${spec.summary.slice(0, 20).replace(/[()]/g, '\\$&')}`),
      );
    const unknown = await runIn(portal, ['help', 'cert', 'frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'cert frobnicate'/);
  });
});

describe('settings flags', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-cli-settings-'));
    writeFileSync(join(dir, 'input.pem'), 'not read: the configuration fails first\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Each command's arguments and the options it checks before it opens the node. */
  function callOf(spec: CommandHelp): string[] {
    const args = (spec.args ?? [])
      .map((a) => a.replace(/^\[(.*)\]$/, '$1'))
      .map((a) => (a === 'FILE' ? 'input.pem' : 'x'));
    const options = Object.entries(spec.options ?? {}).flatMap(([name, o]) =>
      o.required || name === 'password' ? [`--${name}`, 'x'] : [],
    );
    return [...spec.name.split(' '), ...args, ...options];
  }

  test('every command takes the settings flags and gives them to the configuration (a relative --config from the user’s directory)', async () => {
    for (const { spec } of portal.commands) {
      const r = await runIn(portal, [...callOf(spec), '--config', 'absent.json', '--https-port', '0'], {
        cwd: dir,
      });
      assert.equal(r.code, 1, `${spec.name}: ${r.stderr}`);
      assert.match(
        r.stderr,
        new RegExp(
          `^meridian: Setting config from ${join(dir, 'absent\\.json')} must be a readable JSON file\\..*\\[config\\.invalid\\]\\n$`,
        ),
        spec.name,
      );
    }
  });

  test('a bad value of a settings flag is named by the configuration, on any command', async () => {
    const r = await runIn(portal, ['users', 'list', '--https-port', 'many', '--home', dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^meridian: Setting https\.port from flag --https-port must be a whole number/);
  });
});

describe('a role offers only its modules’ commands', () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'meridian-cli-subset-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  /** A role of pki and tls only, whose commands open a portal node (which has those modules). */
  const open: OpenCommandNode = async (settings) => {
    const node = await openPortalNode(
      loadPortalConfig({ env: {}, flags: { ...settings }, overrides: { 'log.level': 'silent' } }),
      { logger: false },
    );
    return { kernel: node.kernel, modules: node.modules, close: () => node.close() };
  };
  const subset: RoleCli = {
    name: 'test role',
    program: 'meridian',
    settings: portalSettings,
    commands: moduleCommands([pkiModule, tlsModule], open),
  };

  test('the commands of modules outside the role are unknown, in help too', async () => {
    assert.deepEqual(
      [...commandTable(subset).groups.keys()],
      ['cert', 'trust', 'doctor'],
      'pki and tls bring cert, trust and doctor',
    );
    const users = await runIn(subset, ['users', 'list', '--home', home]);
    assert.equal(users.code, 2);
    assert.equal(
      users.stderr,
      "meridian: unknown command 'users'. The commands: cert, trust, doctor (meridian help).\n",
    );
    assert.equal((await runIn(subset, ['help', 'users'])).code, 2);
    assert.equal((await runIn(subset, ['jobs', 'list'])).code, 2);
    const help = await runIn(subset, ['help']);
    assert.doesNotMatch(help.stdout, /users|jobs|start/);
    assert.match(help.stdout, /\n {2}cert use /);
  });

  test("its modules' commands run against their module's API on a node", async () => {
    const ca = await runIn(subset, ['trust', 'export-ca', '--home', home]);
    assert.equal(ca.code, 0, ca.stderr);
    const cert = new X509Certificate(ca.stdout);
    assert.equal(cert.ca, true);
    const use = await runIn(subset, ['cert', 'use', 'portal', '--home', home]);
    assert.equal(use.code, 0, use.stderr);
    assert.equal(use.stdout, 'the web server certificate is now portal (live on every node)\n');
  });
});

describe('the command table refuses what would parse ambiguously', () => {
  const spec = (name: string, options: CommandSpec<unknown>['options'] = {}) => ({
    spec: { name, summary: 'A test command.', options },
    from: 'test',
    run: async () => 0,
  });
  const role = (...commands: ReturnType<typeof spec>[]): RoleCli => ({
    name: 'test role',
    program: 'meridian',
    settings: portalSettings,
    commands,
  });

  test('two commands of one name, a command that is also a group, help', () => {
    assert.throws(
      () => commandTable(role(spec('cert list'), spec('cert list'))),
      /another command has that name/,
    );
    assert.throws(() => commandTable(role(spec('cert'), spec('cert list'))), /also the name of a group/);
    assert.throws(() => commandTable(role(spec('help'))), /help is the runner's/);
    assert.throws(() => commandTable(role(spec('Cert List'))), /one or two lowercase words/);
  });

  test('an option that hides a settings flag or --help, a short option used twice', () => {
    const o = (description: string) => ({ type: 'string' as const, description });
    assert.throws(() => commandTable(role(spec('x', { home: o('home') }))), /--home hides a settings flag/);
    assert.throws(() => commandTable(role(spec('x', { 'https-port': o('p') }))), /hides a settings flag/);
    assert.throws(() => commandTable(role(spec('x', { help: o('h') }))), /hides --help/);
    assert.throws(
      () => commandTable(role(spec('x', { a: { ...o('a'), short: 'a' }, b: { ...o('b'), short: 'a' } }))),
      /-a is not one unused letter/,
    );
    assert.throws(() => commandTable(role(spec('x', { a: { ...o('a'), short: 'h' } }))), /-h/);
    assert.doesNotThrow(() => commandTable(portal));
  });
});
