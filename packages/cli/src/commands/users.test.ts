import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli } from './test-cli.ts';

async function eventually(ms: number, check: () => Promise<boolean>): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`not within ${ms} ms`);
}

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`meridian users (${database})`, () => {
    let portal: TestPortal;
    let where: string[];
    // On PostgreSQL the CLI's change reaches the portal by NOTIFY at once; on SQLite through the
    // user cache's expiry (5 s).
    const lag = database === 'postgres' ? 1500 : 8000;
    before(async () => {
      portal = await startTestPortal({ database });
      where = [
        '--home',
        portal.home,
        ...(portal.config.database.url ? ['--database-url', portal.config.database.url] : []),
      ];
    });
    after(() => portal.close());

    test('add, list, set-role, disable, enable, reset-password on the data directory of a running portal', async () => {
      const add = await cli(
        [
          'users',
          'add',
          'cli.user',
          '--role',
          'org_user',
          '--email',
          'cli@example.org',
          ...where,
          '--password-stdin',
        ],
        'Cl1-password-ok\n',
      );
      assert.equal(add.code, 0, add.stderr);
      const token = await portal.token('cli.user', 'Cl1-password-ok');
      const self = () => portal.call('/sharing/rest/community/self', { token }, { method: 'GET' });
      assert.equal((await self()).role, 'org_user');

      const list = await cli(['users', 'list', ...where]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^USERNAME\s+ROLE/);
      assert.match(list.stdout, /\ncli\.user\s+org_user\s+enabled\s+cli@example\.org/);
      assert.match(list.stdout, /\nadmin\s+org_admin\s+enabled/);

      const role = await cli(['users', 'set-role', 'cli.user', 'org_publisher', ...where]);
      assert.equal(role.code, 0, role.stderr);
      await eventually(lag, async () => (await self()).error?.code === 498);
      const t2 = await portal.token('cli.user', 'Cl1-password-ok');
      assert.equal(
        (await portal.call('/sharing/rest/community/self', { token: t2 }, { method: 'GET' })).role,
        'org_publisher',
      );

      assert.equal((await cli(['users', 'disable', 'cli.user', ...where])).code, 0);
      await eventually(
        lag,
        async () =>
          (await portal.call('/sharing/rest/community/self', { token: t2 }, { method: 'GET' })).error
            ?.code === 498,
      );
      assert.equal((await cli(['users', 'enable', 'cli.user', ...where])).code, 0);

      const reset = await cli(['users', 'reset-password', 'cli.user', ...where]);
      assert.equal(reset.code, 0, reset.stderr);
      const generated = reset.stdout.trim();
      assert.match(generated, /^[\w-]{20,}$/);
      assert.ok(await portal.token('cli.user', generated));
      const viaStdin = await cli(
        ['users', 'reset-password', 'cli.user', ...where, '--password-stdin'],
        'An0ther-password\n',
      );
      assert.equal(viaStdin.code, 0, viaStdin.stderr);
      assert.doesNotMatch(viaStdin.stdout, /An0ther/);
      assert.ok(await portal.token('cli.user', 'An0ther-password'));
    });

    test('unlock lifts a sign-in lockout, and list shows it', async () => {
      await cli(
        [
          'users',
          'add',
          'locked.user',
          '--role',
          'org_user',
          '--email',
          'l@example.org',
          ...where,
          '--password-stdin',
        ],
        'L0cked-password-ok\n',
      );
      const attempts = portal.config.identity.lockoutAttempts;
      for (let i = 0; i < attempts; i++)
        await portal.call('/sharing/rest/generateToken', {
          username: 'locked.user',
          password: `wrong-${i}-pass`,
        });
      const refused = await portal.call('/sharing/rest/generateToken', {
        username: 'locked.user',
        password: 'L0cked-password-ok',
      });
      assert.match(refused.error.details[0], /account is locked/);
      const list = await cli(['users', 'list', ...where]);
      assert.match(list.stdout, /\nlocked\.user\s+org_user\s+locked until \d{4}-\d\d-\d\dT/);
      const unlock = await cli(['users', 'unlock', 'locked.user', ...where]);
      assert.equal(unlock.code, 0, unlock.stderr);
      assert.equal(unlock.stdout, 'locked.user unlocked\n');
      assert.ok(await portal.token('locked.user', 'L0cked-password-ok'));
    });

    test('the same rules as the API, with clear errors', async () => {
      const demote = await cli(['users', 'set-role', 'admin', 'org_user', ...where]);
      assert.equal(demote.code, 1);
      assert.match(demote.stderr, /last enabled administrator/);
      const badRole = await cli([
        'users',
        'add',
        'someone1',
        '--role',
        'boss',
        '--email',
        's@example.org',
        '--password',
        'Passw0rd-ok',
        ...where,
      ]);
      assert.equal(badRole.code, 1);
      assert.match(badRole.stderr, /org_admin, org_publisher or org_user/);
      const weak = await cli([
        'users',
        'add',
        'someone1',
        '--role',
        'org_user',
        '--email',
        's@example.org',
        '--password',
        'weak',
        ...where,
      ]);
      assert.match(weak.stderr, /at least 8 characters/);
      const unknown = await cli(['users', 'disable', 'nobody123', ...where]);
      assert.match(unknown.stderr, /User not found/);
      const usage = await cli(['users', 'frobnicate', ...where]);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /Usage:/);
    });
  });
}
