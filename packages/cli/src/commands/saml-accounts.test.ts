import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../../server/test/portal.ts';
import { cli } from './test-cli.ts';

const IDP = 'https://idp.example.org/idp/shibboleth';

async function eventually(ms: number, check: () => Promise<boolean>): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (await check()) return;
    await sleep(100);
  }
  assert.fail(`not within ${ms} ms`);
}

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`meridian users add (SAML accounts) and portal allow-builtin-sign-in (${database})`, () => {
    let portal: TestPortal;
    let where: string[];
    let dir: string;
    const count = async () =>
      Number(
        (
          await portal.kernel.db.kysely
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    before(async () => {
      portal = await startTestPortal({ database });
      dir = mkdtempSync(join(tmpdir(), 'meridian-csv-'));
      where = [
        '--home',
        portal.home,
        ...(portal.config.database.url ? ['--database-url', portal.config.database.url] : []),
      ];
    });
    after(async () => {
      await portal.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('--idp --name-id --role pre-registers a SAML account; list shows its login', async () => {
      const add = await cli([
        'users',
        'add',
        '--idp',
        IDP,
        '--name-id',
        'ada@example.org',
        '--role',
        'org_admin',
        '--email',
        'ada@example.org',
        ...where,
      ]);
      assert.equal(add.code, 0, add.stderr);
      assert.match(
        add.stdout,
        /created ada@example\.org \(org_admin, SAML ada@example\.org of https:\/\/idp/,
      );
      const u = await portal.modules.identity.findUser('ada@example.org');
      assert.equal(u?.provider, 'enterprise');
      assert.equal(u?.idp_entity_id, IDP);
      const named = await cli([
        'users',
        'add',
        'bob.named',
        '--idp',
        IDP,
        '--name-id',
        'b0b',
        '--role',
        'org_user',
        ...where,
      ]);
      assert.equal(named.code, 0, named.stderr);
      assert.equal((await portal.modules.identity.findUser('bob.named'))?.idp_username, 'b0b');

      const list = await cli(['users', 'list', ...where]);
      assert.match(
        list.stdout,
        /\nada@example\.org\s+org_admin\s+enabled.*SAML ada@example\.org of https:\/\/idp\.example\.org/,
      );
      assert.match(list.stdout, /\nadmin\s+org_admin\s+enabled.*built-in/);

      const again = await cli([
        'users',
        'add',
        '--idp',
        IDP,
        '--name-id',
        'ada@example.org',
        '--role',
        'org_user',
        ...where,
      ]);
      assert.equal(again.code, 1);
      assert.match(
        again.stderr,
        /already has an account: 'ada@example\.org'\. \[identity\.saml_account_exists\]/,
      );
      const withPassword = await cli([
        'users',
        'add',
        '--name-id',
        'x1',
        '--role',
        'org_user',
        '--password',
        'P4ssword-x',
        ...where,
      ]);
      assert.equal(withPassword.code, 2);
      assert.match(withPassword.stderr, /--password is not for a SAML account/);
      const noRole = await cli(['users', 'add', '--name-id', 'x1', ...where]);
      assert.equal(noRole.code, 2);
      assert.match(noRole.stderr, /--role is required/);
    });

    test('--csv: a bad line is named with its number and reason, and nothing is added', async () => {
      const before = await count();
      const file = join(dir, 'bad.csv');
      writeFileSync(
        file,
        [
          'name-id,email,role,first-name',
          'c1@example.org,c1@example.org,org_user,Cee',
          'c2@example.org,c2@example.org,superuser,Cee',
          'c1@example.org,c1b@example.org,org_user,Cee',
          'c4@example.org,not-an-email,org_user,Cee',
          '"c5@example.org","c5@example.org",org_publisher',
        ].join('\n'),
      );
      const r = await cli(['users', 'add', '--csv', file, '--idp', IDP, '--role', 'org_user', ...where]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /line 6: 3 fields, the header has 4/);
      assert.equal(await count(), before);
      writeFileSync(file, readBad());
      const r2 = await cli(['users', 'add', '--csv', file, '--idp', IDP, '--role', 'org_user', ...where]);
      assert.equal(r2.code, 1, r2.stdout);
      assert.match(r2.stderr, /bad\.csv line 3: The role 'superuser' is not valid/);
      assert.match(
        r2.stderr,
        /bad\.csv line 4: The NameID 'c1@example\.org' of https:\/\/idp\.example\.org\/idp\/shibboleth is already on .*bad\.csv line 2/,
      );
      assert.match(r2.stderr, /bad\.csv line 5: The email address 'not-an-email' is not valid/);
      assert.match(r2.stderr, /3 of 4 accounts are not valid; none was added/);
      assert.doesNotMatch(r2.stderr, /line 2:/);
      assert.equal(await count(), before);
      const unknownColumn = join(dir, 'unknown.csv');
      writeFileSync(unknownColumn, 'name-id,colour\nx,red\n');
      const r3 = await cli(['users', 'add', '--csv', unknownColumn, '--role', 'org_user', ...where]);
      assert.equal(r3.code, 1);
      assert.match(r3.stderr, /line 1: column 2 'colour' is not known/);
    });

    test('--csv: every line right: all are added in one go, with quoted fields and the defaults', async () => {
      const before = await count();
      const file = join(dir, 'good.csv');
      writeFileSync(
        file,
        '\uFEFFName-ID,IdP,Username,Role,Email,First-Name,Last-Name\r\n' +
          `d1@example.org,,,,d1@example.org,Dee,"One, the first"\r\n` +
          `d2-opaque+id==,https://other.example.net/idp,dee.two,org_publisher,,"Dee ""2""",Two\r\n` +
          '\r\n' +
          'd3@example.org,,,org_admin,,,\r\n',
      );
      const r = await cli(['users', 'add', '--csv', file, '--idp', IDP, '--role', 'org_user', ...where]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await count(), before + 3);
      const identity = portal.modules.identity;
      const d1 = await identity.findUser('d1@example.org');
      assert.equal(d1?.role, 'org_user');
      assert.equal(d1?.idp_entity_id, IDP);
      assert.equal(d1?.full_name, 'Dee One, the first');
      const d2 = await identity.findUser('dee.two');
      assert.equal(d2?.idp_entity_id, 'https://other.example.net/idp');
      assert.equal(d2?.idp_username, 'd2-opaque+id==');
      assert.equal(d2?.first_name, 'Dee "2"');
      assert.equal((await identity.findUser('d3@example.org'))?.role, 'org_admin');
    });

    test('portal allow-builtin-sign-in lets a locked-out organisation sign in with a built-in account again', async () => {
      const settings = portal.modules.portal.settings;
      // Locked out: built-in sign-in off, and the SAML login unusable.
      await settings.update({ canSignInIDP: true, canSignInArcGIS: false, allowBuiltInAccounts: false });
      const refused = await portal.call('/sharing/rest/generateToken', {
        username: 'admin',
        password: ADMIN_PASSWORD,
        client: 'requestip',
      });
      assert.match(refused.error?.details?.[0] ?? '', /canSignInArcGIS/);
      const r = await cli(['portal', 'allow-builtin-sign-in', ...where]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /built-in sign-in \(canSignInArcGIS\): turned on/);
      assert.match(r.stdout, /users reset-password USERNAME/);
      await eventually(database === 'postgres' ? 3000 : 10000, async () => {
        const t = await portal.call('/sharing/rest/generateToken', {
          username: 'admin',
          password: ADMIN_PASSWORD,
          client: 'requestip',
        });
        return typeof t.token === 'string';
      });
      const s = await settings.get();
      assert.equal(s.canSignInArcGIS, true);
      assert.equal(s.allowBuiltInAccounts, true);
      const help = await cli(['portal', 'allow-builtin-sign-in', '--help']);
      assert.match(help.stdout, /canSignInArcGIS and allowBuiltInAccounts/);
    });
  });
}

function readBad(): string {
  return [
    'name-id,email,role,first-name',
    'c1@example.org,c1@example.org,org_user,Cee',
    'c2@example.org,c2@example.org,superuser,Cee',
    'c1@example.org,c1b@example.org,org_user,Cee',
    'c4@example.org,not-an-email,org_user,Cee',
  ].join('\n');
}
