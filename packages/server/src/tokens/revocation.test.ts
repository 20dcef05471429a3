import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../identity/test-users.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`token revocation and key rotation (${database})`, () => {
    let portal: TestPortal;
    let admin: string;
    const self = (token: string) => portal.call('/sharing/rest/community/self', { token }, { method: 'GET' });

    before(async () => {
      portal = await startTestPortal({ database });
      admin = await portal.token();
      for (const u of ['pwchanger', 'rolechanger', 'disableme', 'signmeout', 'resetme1'])
        await addUser(portal, u);
    });
    after(() => portal.close());

    test('changing your own password revokes your tokens at once and needs oldPassword', async () => {
      const token = await portal.token('pwchanger', USER_PASSWORD);
      const other = await portal.token('rolechanger', USER_PASSWORD);
      const noOld = await portal.call('/sharing/rest/community/users/pwchanger/update', {
        token,
        password: 'N3w-password-ok',
      });
      assert.match(noOld.error.message, /oldPassword/);
      const wrongOld = await portal.call('/sharing/rest/community/users/pwchanger/update', {
        token,
        password: 'N3w-password-ok',
        oldPassword: 'not-it-123',
      });
      assert.match(wrongOld.error.message, /not correct/);
      const weak = await portal.call('/sharing/rest/community/users/pwchanger/update', {
        token,
        password: 'short',
        oldPassword: USER_PASSWORD,
      });
      assert.match(weak.error.message, /at least 8 characters/);
      assert.equal((await self(token)).username, 'pwchanger', 'refused changes revoke nothing');
      const ok = await portal.call('/sharing/rest/community/users/pwchanger/update', {
        token,
        password: 'N3w-password-ok',
        oldPassword: USER_PASSWORD,
      });
      assert.equal(ok.success, true);
      assert.equal((await self(token)).error.code, 498);
      assert.equal((await self(other)).username, 'rolechanger', "other users' tokens live on");
      assert.ok(await portal.token('pwchanger', 'N3w-password-ok'));
      const old = await portal.call('/sharing/rest/generateToken', {
        username: 'pwchanger',
        password: USER_PASSWORD,
      });
      assert.equal(old.error.code, 400);
    });

    test('a user cannot set another user password through the Sharing API', async () => {
      const token = await portal.token('signmeout', USER_PASSWORD);
      const r = await portal.call('/sharing/rest/community/users/resetme1/update', {
        token,
        password: 'Whatever-123',
      });
      assert.equal(r.error.code, 400);
      assert.match(r.error.message, /User not found/);
    });

    test('an administrator password reset revokes at once', async () => {
      const token = await portal.token('resetme1', USER_PASSWORD);
      const r = await portal.call('/portaladmin/security/users/resetme1/update', {
        token: admin,
        password: 'Reset-pass-99',
      });
      assert.equal(r.status, 'success');
      assert.equal((await self(token)).error.code, 498);
      assert.ok(await portal.token('resetme1', 'Reset-pass-99'));
    });

    test('a role change revokes tokens and is visible at once', async () => {
      const token = await portal.token('rolechanger', USER_PASSWORD);
      assert.equal((await self(token)).role, 'org_user');
      const r = await portal.call('/portaladmin/security/users/updateUserRole', {
        token: admin,
        username: 'rolechanger',
        role: 'org_publisher',
      });
      assert.equal(r.status, 'success');
      assert.equal((await self(token)).error.code, 498);
      const fresh = await portal.token('rolechanger', USER_PASSWORD);
      const me = await self(fresh);
      assert.equal(me.role, 'org_publisher');
      assert.ok(me.privileges.includes('portal:publisher:publishFeatures'));
      assert.ok(!me.privileges.includes('portal:admin:viewUsers'));
    });

    test('disabling revokes at once; a disabled user cannot sign in; enabling lets them back', async () => {
      const token = await portal.token('disableme', USER_PASSWORD);
      assert.equal(
        (await portal.call('/portaladmin/security/users/disableme/disable', { token: admin })).status,
        'success',
      );
      assert.equal((await self(token)).error.code, 498);
      const r = await portal.call('/sharing/rest/generateToken', {
        username: 'disableme',
        password: USER_PASSWORD,
      });
      assert.match(r.error.details[0], /disabled/);
      assert.equal(
        (await portal.call('/portaladmin/security/users/disableme/enable', { token: admin })).status,
        'success',
      );
      assert.equal((await self(await portal.token('disableme', USER_PASSWORD))).username, 'disableme');
    });

    test('signing out revokes every token of the user', async () => {
      const a = await portal.token('signmeout', USER_PASSWORD);
      const b = await portal.token('signmeout', USER_PASSWORD);
      assert.equal((await portal.call('/sharing/rest/oauth2/signout', { token: a })).success, true);
      assert.equal((await self(a)).error.code, 498);
      assert.equal((await self(b)).error.code, 498);
      assert.equal((await self(await portal.token('signmeout', USER_PASSWORD))).username, 'signmeout');
    });

    test('rotating the signing key keeps tokens signed by the old key valid', async () => {
      const before = await portal.token('admin', ADMIN_PASSWORD);
      const oldKid = before.split('.')[1];
      const service = portal.modules.tokens.service;
      const rotated = await service.keys.rotate();
      const after = await portal.token('admin', ADMIN_PASSWORD);
      assert.equal(after.split('.')[1], rotated.kid);
      assert.notEqual(rotated.kid, oldKid);
      assert.equal((await self(before)).username, 'admin');
      assert.equal((await self(after)).username, 'admin');
      const rows = await portal.kernel.db.kysely
        .selectFrom('token_signing_keys')
        .select(['kid', 'secret_sealed'])
        .execute();
      assert.ok(rows.length >= 2);
      for (const r of rows) assert.match(r.secret_sealed, /^v1\./, 'keys are sealed at rest');
      // A retired key stops verifying.
      await portal.kernel.db.kysely
        .updateTable('token_signing_keys')
        .set({ retire_after: Date.now() - 1 })
        .where('kid', '=', oldKid!)
        .execute();
      await service.keys.reload();
      assert.equal((await self(before)).error.code, 498);
    });
  });
}
