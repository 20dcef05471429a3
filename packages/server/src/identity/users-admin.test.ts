import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { addUser, USER_PASSWORD } from './test-users.ts';

interface SearchUser {
  username: string;
  email?: string;
}
interface GroupJson {
  title: string;
  tags: string[];
  userMembership: { memberType: string };
}

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`users: administration, self, search (${database})`, () => {
    let portal: TestPortal;
    let admin: string;
    const createUser = (fields: Record<string, string>) =>
      portal.call('/portaladmin/security/users/createUser', {
        token: admin,
        password: USER_PASSWORD,
        email: 'someone@example.org',
        role: 'org_user',
        ...fields,
      });

    before(async () => {
      portal = await startTestPortal({ database });
      admin = await portal.token();
    });
    after(() => portal.close());

    test('createUser validates every field and changes nothing on bad input', async () => {
      const cases: [Record<string, string>, RegExp][] = [
        [{ username: 'abc' }, /6 to 128 characters/],
        [{ username: 'has space1' }, /only letters, digits/],
        [{ username: 'weakpass1', password: 'short1' }, /at least 8 characters/],
        [{ username: 'weakpass2', password: 'onlyletters' }, /at least one digit/],
        [{ username: 'weakpass3', password: '1234567890' }, /at least one letter/],
        [{ username: 'badrole01', role: 'superuser' }, /org_admin, org_publisher or org_user/],
        [{ username: 'bademail1', email: 'not-an-email' }, /email address .* not valid/],
      ];
      for (const [fields, message] of cases) {
        const r = await createUser(fields);
        assert.equal(r.status, 'error', JSON.stringify(fields));
        assert.equal(r.code, 400);
        assert.match(r.messages[0], message);
      }
      const missing = await portal.call('/portaladmin/security/users/createUser', {
        token: admin,
        username: 'noemail01',
        role: 'org_user',
      });
      assert.match(missing.messages[0], /Missing required parameter 'email'/);
      const n = await portal.kernel.db.kysely
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(n.n), 1, 'only admin exists');

      assert.equal(
        (await createUser({ username: 'Jane.Doe', firstname: 'Jane', lastname: 'Doe' })).status,
        'success',
      );
      const dup = await createUser({ username: 'jane.doe' });
      assert.match(dup.messages[0], /already exists .* without regard to case/);
      const jane = await portal.token('JANE.DOE', USER_PASSWORD);
      const me = await portal.call('/sharing/rest/community/self', { token: jane }, { method: 'GET' });
      assert.equal(me.username, 'Jane.Doe');
      assert.equal(me.fullName, 'Jane Doe');
    });

    test('a non-administrator cannot use the administrator API', async () => {
      await addUser(portal, 'plainuser');
      const t = await portal.token('plainuser', USER_PASSWORD);
      const r = await portal.call('/portaladmin/security/users/createUser', {
        token: t,
        username: 'sneaky01',
        password: USER_PASSWORD,
        email: 'a@b.org',
        role: 'org_admin',
      });
      assert.equal(r.status, 'error');
      assert.equal(r.code, 403);
      const anon = await portal.call('/portaladmin/security/users/plainuser/disable');
      assert.equal(anon.code, 499);
    });

    test('community/self answers the ArcGIS user shape with role, privileges and groups', async () => {
      await addUser(portal, 'selfuser1', 'org_user');
      const now = Date.now();
      await portal.kernel.db.kysely
        .insertInto('groups')
        .values({
          id: 'g'.repeat(32),
          title: 'Field crews',
          owner: 'admin',
          description: '',
          snippet: '',
          tags: '["ops"]',
          access: 'org',
          is_invitation_only: 0,
          is_view_only: 0,
          sort_field: 'title',
          sort_order: 'asc',
          created: now,
          modified: now,
        })
        .execute();
      await portal.kernel.db.kysely
        .insertInto('group_members')
        .values({ group_id: 'g'.repeat(32), username: 'selfuser1', member_type: 'member', joined: now })
        .execute();
      const token = await portal.token('selfuser1', USER_PASSWORD);
      const me = await portal.call('/sharing/rest/community/self', { token }, { method: 'GET' });
      assert.equal(me.username, 'selfuser1');
      assert.equal(me.role, 'org_user');
      assert.equal(me.email, 'selfuser1@example.org');
      assert.equal(me.provider, 'arcgis');
      assert.equal(me.disabled, false);
      assert.equal(me.orgId, (await portal.modules.portal.settings.get()).id);
      assert.ok(me.lastLogin >= now);
      for (const p of [
        'portal:user:createItem',
        'portal:user:createGroup',
        'portal:user:joinGroup',
        'portal:user:shareToGroup',
        'portal:user:shareToOrg',
        'portal:user:shareToPublic',
      ])
        assert.ok(me.privileges.includes(p), p);
      assert.ok(
        !me.privileges.some(
          (p: string) => p.startsWith('portal:admin:') || p.startsWith('portal:publisher:'),
        ),
      );
      assert.deepEqual(
        me.groups.map((g: GroupJson) => [g.title, g.tags, g.userMembership.memberType]),
        [['Field crews', ['ops'], 'member']],
      );
      const adminSelf = await portal.call(
        '/sharing/rest/community/self',
        { token: admin },
        { method: 'GET' },
      );
      for (const p of [
        'portal:admin:viewUsers',
        'portal:admin:updateUsers',
        'portal:admin:createUpdateCapableGroupOnly',
        'portal:admin:shareToGroup',
        'portal:publisher:publishFeatures',
      ])
        assert.ok(adminSelf.privileges.includes(p), p);
    });

    test('community/self shows a profile change and a new sign-in at once (its row is cached)', async () => {
      await addUser(portal, 'selfcache1');
      const token = await portal.token('selfcache1', USER_PASSWORD);
      const self = () => portal.call('/sharing/rest/community/self', { token }, { method: 'GET' });
      const first = await self();
      assert.equal(first.username, 'selfcache1');
      const updated = await portal.call('/sharing/rest/community/users/selfcache1/update', {
        token,
        fullname: 'Cached Once',
      });
      assert.equal(updated.success, true);
      assert.equal((await self()).fullName, 'Cached Once');
      await new Promise((r) => setTimeout(r, 5));
      await portal.token('selfcache1', USER_PASSWORD);
      assert.ok((await self()).lastLogin > first.lastLogin, 'the second sign-in is in lastLogin');
    });

    test("community/self's groups follow group changes at once (they are cached)", async () => {
      await addUser(portal, 'grpcache1');
      await addUser(portal, 'grpcache2');
      const owner = await portal.token('grpcache1', USER_PASSWORD);
      const member = await portal.token('grpcache2', USER_PASSWORD);
      const titles = async (token: string) =>
        (await portal.call('/sharing/rest/community/self', { token }, { method: 'GET' })).groups.map(
          (g: GroupJson) => `${g.title}:${g.userMembership.memberType}`,
        );
      assert.deepEqual(await titles(owner), []);
      assert.deepEqual(await titles(member), []);
      const g = (
        await portal.call('/sharing/rest/community/createGroup', {
          token: owner,
          title: 'Cached',
          access: 'org',
        })
      ).group;
      assert.deepEqual(await titles(owner), ['Cached:owner']);
      await portal.call(`/sharing/rest/community/groups/${g.id}/update`, { token: owner, title: 'Renamed' });
      assert.deepEqual(await titles(owner), ['Renamed:owner']);
      await portal.call(`/sharing/rest/community/groups/${g.id}/addUsers`, {
        token: owner,
        users: 'grpcache2',
      });
      assert.deepEqual(await titles(member), ['Renamed:member']);
      await portal.call(`/sharing/rest/community/groups/${g.id}/removeUsers`, {
        token: owner,
        users: 'grpcache2',
      });
      assert.deepEqual(await titles(member), []);
      await portal.call(`/sharing/rest/community/groups/${g.id}/delete`, { token: owner });
      assert.deepEqual(await titles(owner), []);

      // A deleted user's memberships are not shown to a new user of the same name.
      const kept = (
        await portal.call('/sharing/rest/community/createGroup', {
          token: owner,
          title: 'Kept',
          access: 'org',
        })
      ).group;
      await portal.call(`/sharing/rest/community/groups/${kept.id}/addUsers`, {
        token: owner,
        users: 'grpcache2',
      });
      assert.deepEqual(await titles(member), ['Kept:member']);
      const gone = await portal.call('/sharing/rest/community/users/grpcache2/delete', { token: admin });
      assert.equal(gone.success, true);
      await addUser(portal, 'grpcache2');
      assert.deepEqual(await titles(await portal.token('grpcache2', USER_PASSWORD)), []);
    });

    test('community/users/<u>: full view for self and admins, reduced for others, "User not found" otherwise', async () => {
      await addUser(portal, 'viewer001');
      await addUser(portal, 'viewee001');
      const viewer = await portal.token('viewer001', USER_PASSWORD);
      const reduced = await portal.call(
        '/sharing/rest/community/users/viewee001',
        { token: viewer },
        { method: 'GET' },
      );
      assert.equal(reduced.username, 'viewee001');
      assert.equal(reduced.email, undefined);
      assert.equal(reduced.privileges, undefined);
      assert.equal(reduced.lastLogin, undefined);
      const full = await portal.call(
        '/sharing/rest/community/users/viewee001',
        { token: admin },
        { method: 'GET' },
      );
      assert.equal(full.email, 'viewee001@example.org');
      const own = await portal.call(
        '/sharing/rest/community/users/VIEWER001',
        { token: viewer },
        { method: 'GET' },
      );
      assert.equal(own.email, 'viewer001@example.org');
      const missing = await portal.call(
        '/sharing/rest/community/users/nosuchuser',
        { token: viewer },
        { method: 'GET' },
      );
      const anon = await portal.call('/sharing/rest/community/users/viewee001', {}, { method: 'GET' });
      assert.equal(missing.error.code, 400);
      assert.deepEqual(anon.error, missing.error, 'no access looks like no user');
      assert.equal(missing.error.message, 'User not found.');
    });

    test('user search pages with start/num/nextStart and filters by field', async () => {
      for (let i = 1; i <= 12; i++)
        await addUser(
          portal,
          `pager${String(i).padStart(3, '0')}`,
          i % 3 === 0 ? 'org_publisher' : 'org_user',
        );
      const user = await portal.token('pager001', USER_PASSWORD);
      const page1 = await portal.call(
        '/sharing/rest/community/users',
        { q: 'pager', num: 5, token: user },
        { method: 'GET' },
      );
      assert.equal(page1.total, 12);
      assert.equal(page1.start, 1);
      assert.equal(page1.nextStart, 6);
      assert.deepEqual(
        page1.results.map((u: SearchUser) => u.username),
        ['pager001', 'pager002', 'pager003', 'pager004', 'pager005'],
      );
      assert.equal(page1.results[0].email, undefined, 'members do not see emails');
      const page3 = await portal.call(
        '/sharing/rest/community/users',
        { q: 'pager', num: 5, start: 11, token: user },
        { method: 'GET' },
      );
      assert.deepEqual(
        page3.results.map((u: SearchUser) => u.username),
        ['pager011', 'pager012'],
      );
      assert.equal(page3.nextStart, -1);
      const pubs = await portal.call(
        '/sharing/rest/community/users',
        { q: 'role: org_publisher AND pager*', token: user },
        { method: 'GET' },
      );
      assert.deepEqual(
        pubs.results.map((u: SearchUser) => u.username),
        ['pager003', 'pager006', 'pager009', 'pager012'],
      );
      const one = await portal.call(
        '/sharing/rest/community/users',
        { q: 'username:pager007', token: user },
        { method: 'GET' },
      );
      assert.deepEqual(
        one.results.map((u: SearchUser) => u.username),
        ['pager007'],
      );
      const desc = await portal.call(
        '/sharing/rest/community/users',
        { q: 'pager', num: 2, sortField: 'username', sortOrder: 'desc', token: user },
        { method: 'GET' },
      );
      assert.deepEqual(
        desc.results.map((u: SearchUser) => u.username),
        ['pager012', 'pager011'],
      );
      const big = await portal.call(
        '/sharing/rest/community/users',
        { q: 'pager', num: 1000, token: user },
        { method: 'GET' },
      );
      assert.equal(big.num, 100);
      const noEmail = await portal.call(
        '/sharing/rest/community/users',
        { q: 'email:x', token: user },
        { method: 'GET' },
      );
      assert.match(noEmail.error.message, /Unknown search field 'email'/);
      const adminSearch = await portal.call(
        '/sharing/rest/portals/self/users/search',
        { q: 'email:pager012@', token: admin },
        { method: 'GET' },
      );
      assert.deepEqual(
        adminSearch.results.map((u: SearchUser) => [u.username, u.email]),
        [['pager012', 'pager012@example.org']],
      );
      const list = await portal.call(
        '/portaladmin/security/users',
        { token: admin, num: 3 },
        { method: 'GET' },
      );
      assert.equal(list.users.length, 3);
      assert.ok(list.total >= 13);
      const anon = await portal.call('/sharing/rest/community/users', { q: 'pager' }, { method: 'GET' });
      assert.equal(anon.total, 0);
    });

    test('the last enabled administrator cannot be demoted, disabled or deleted', async () => {
      const demote = await portal.call('/portaladmin/security/users/updateUserRole', {
        token: admin,
        username: 'admin',
        role: 'org_user',
      });
      assert.equal(demote.status, 'error');
      assert.match(demote.messages[0], /last enabled administrator/);
      const disable = await portal.call('/portaladmin/security/users/admin/disable', { token: admin });
      assert.match(disable.messages[0], /last enabled administrator/);
      const del = await portal.call('/portaladmin/security/users/admin/delete', { token: admin });
      assert.match(del.messages[0], /last enabled administrator/);
      const me = await portal.call('/sharing/rest/community/self', { token: admin }, { method: 'GET' });
      assert.equal(me.role, 'org_admin', 'nothing changed; the token still works');

      await addUser(portal, 'secondadm', 'org_admin');
      await addUser(portal, 'thirdadm1', 'org_admin');
      assert.equal(
        (await portal.call('/portaladmin/security/users/thirdadm1/disable', { token: admin })).status,
        'success',
      );
      // A disabled administrator does not count: secondadm and admin remain.
      assert.equal(
        (
          await portal.call('/portaladmin/security/users/updateUserRole', {
            token: admin,
            username: 'secondadm',
            role: 'org_user',
          })
        ).status,
        'success',
      );
      const last = await portal.call('/portaladmin/security/users/admin/disable', { token: admin });
      assert.match(last.messages[0], /last enabled administrator/);
      // Concurrent demotions of the last two admins: at most one succeeds.
      await portal.call('/portaladmin/security/users/updateUserRole', {
        token: admin,
        username: 'secondadm',
        role: 'org_admin',
      });
      const admin2 = await portal.token('secondadm', USER_PASSWORD);
      const results = await Promise.all([
        portal.call('/portaladmin/security/users/updateUserRole', {
          token: admin,
          username: 'secondadm',
          role: 'org_user',
        }),
        portal.call('/portaladmin/security/users/updateUserRole', {
          token: admin2,
          username: 'admin',
          role: 'org_user',
        }),
      ]);
      const admins = await portal.kernel.db.kysely
        .selectFrom('users')
        .select('username')
        .where('role', '=', 'org_admin')
        .where('disabled', '=', 0)
        .execute();
      assert.ok(admins.length >= 1, JSON.stringify(results));
    });

    test('deleting a user who owns content is refused with the counts', async () => {
      await addUser(portal, 'contentowner');
      const now = Date.now();
      await portal.kernel.db.kysely
        .insertInto('groups')
        .values({
          id: 'h'.repeat(32),
          title: 'Owned',
          owner: 'contentowner',
          description: '',
          snippet: '',
          tags: '[]',
          access: 'private',
          is_invitation_only: 0,
          is_view_only: 0,
          sort_field: 'title',
          sort_order: 'asc',
          created: now,
          modified: now,
        })
        .execute();
      const refused = await portal.call('/portaladmin/security/users/contentowner/delete', { token: admin });
      assert.equal(refused.status, 'error');
      assert.match(refused.messages[0], /own 0 items and 1 group\b/);
      await portal.kernel.db.kysely.deleteFrom('groups').where('id', '=', 'h'.repeat(32)).execute();
      const token = await portal.token('contentowner', USER_PASSWORD);
      assert.equal(
        (await portal.call('/portaladmin/security/users/contentowner/delete', { token: admin })).status,
        'success',
      );
      assert.equal(
        (await portal.call('/sharing/rest/community/self', { token }, { method: 'GET' })).error.code,
        498,
      );
      const gone = await portal.call('/portaladmin/security/users/contentowner/delete', { token: admin });
      assert.match(gone.messages[0], /User not found/);
    });
  });
}
