/**
 * Host administration of collaborations and workspaces on a real portal, on SQLite and on
 * PostgreSQL: create (first workspace linked to a group, checked through content), list paged,
 * read, update, delete; workspaces added, changed, deleted; the length limits and unknown
 * groups refused with their codes; administrators only; portals/<id>/ is portals/self/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaborations: host administration (${database})`, () => {
    let portal: TestPortal;
    let token: string;
    let groupId: string;
    const S = '/sharing/rest/portals/self';
    const call = (path: string, fields: Record<string, string | number> = {}) =>
      portal.call(`${S}/${path}`, { token, ...fields });
    const create = (fields: Record<string, string> = {}) =>
      call('createCollaboration', {
        name: 'Rivers',
        description: 'Shared river data',
        workspaceName: 'Hydrology',
        workspaceDescription: 'Gauges',
        portalGroupId: groupId,
        hostContactFirstname: 'Ada',
        hostContactLastname: 'Lovelace',
        hostContactEmailAddress: 'ada@example.org',
        ...fields,
      });

    before(async () => {
      portal = await startTestPortal({ database });
      token = await portal.token();
      const g = await portal.call('/sharing/rest/community/createGroup', {
        token,
        title: 'Shared',
        access: 'org',
      });
      groupId = g.group.id;
    });
    after(() => portal.close());

    test('createCollaboration answers its id; it is read with its first workspace linked to the group', async () => {
      const created = await create();
      const id = created.collaboration?.id;
      assert.match(id, /^[0-9a-f]{32}$/, JSON.stringify(created));
      const c = await call(`collaborations/${id}`);
      assert.equal(c.name, 'Rivers');
      assert.equal(c.isHost, true);
      assert.equal(c.hostPortalUrl, portal.url);
      assert.equal(c.collaborationHostPortalId, await portal.modules.portal.orgId());
      assert.deepEqual(c.hostContact, { firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.org' });
      assert.equal(c.workspaces.length, 1);
      assert.equal(c.workspaces[0].name, 'Hydrology');
      assert.equal(c.workspaces[0].portalGroupId, groupId);
      const orgId = await portal.modules.portal.orgId();
      const byId = await portal.call(
        `/sharing/rest/portals/${orgId}/collaborations/${id}`,
        { token },
        { method: 'GET' },
      );
      assert.equal(byId.id, id);
      const other = await portal.call(`/sharing/rest/portals/nope/collaborations/${id}`, { token });
      assert.equal(other.error?.messageCode, 'request.not_found', JSON.stringify(other));
    });

    test('bad input is refused with a message naming the parameter and limit; nothing is made', async () => {
      const before = (await call('collaborations')).total;
      const long = await create({ name: 'x'.repeat(101) });
      assert.equal(long.error?.messageCode, 'collaboration.invalid_input', JSON.stringify(long));
      assert.match(long.error.message, /'name' is 101 characters long: at most 100/);
      const desc = await create({ description: 'd'.repeat(251) });
      assert.match(desc.error?.message, /'description' is 251 characters long: at most 250/);
      const noName = await create({ name: '  ' });
      assert.match(noName.error?.message, /Missing required parameter 'name'/);
      const group = await create({ portalGroupId: 'f'.repeat(32) });
      assert.equal(group.error?.messageCode, 'collaboration.group_not_found', JSON.stringify(group));
      const mail = await create({ hostContactEmailAddress: 'not an address' });
      assert.equal(mail.error?.messageCode, 'collaboration.invalid_input');
      const config = await create({ config: '[1' });
      assert.match(config.error?.message, /'config' must be a JSON object/);
      assert.equal((await call('collaborations')).total, before);
    });

    test('collaborations is paged: total, start, num, nextStart', async () => {
      for (const n of [2, 3]) assert.ok((await create({ name: `Rivers ${n}` })).collaboration);
      const first = await call('collaborations', { num: 2 });
      assert.equal(first.total, 3);
      assert.deepEqual([first.start, first.num, first.nextStart], [1, 2, 3]);
      assert.equal(first.collaborations.length, 2);
      const last = await portal.call(`${S}/collaborations`, { token, start: 3, num: 2 }, { method: 'GET' });
      assert.deepEqual([last.start, last.nextStart, last.collaborations.length], [3, -1, 1]);
      assert.equal(last.collaborations[0].name, 'Rivers 3');
    });

    test('updateInfo changes what is given; delete removes it', async () => {
      const id = (await create({ name: 'To change' })).collaboration.id;
      const r = await call(`collaborations/${id}/updateInfo`, { description: 'New words' });
      assert.equal(r.success, true, JSON.stringify(r));
      const c = await call(`collaborations/${id}`);
      assert.deepEqual([c.name, c.description], ['To change', 'New words']);
      const bad = await call(`collaborations/${id}/updateInfo`, { name: 'n'.repeat(101) });
      assert.equal(bad.error?.messageCode, 'collaboration.invalid_input');
      assert.equal((await call(`collaborations/${id}/delete`)).success, true);
      const gone = await call(`collaborations/${id}`);
      assert.equal(gone.error?.messageCode, 'collaboration.not_found', JSON.stringify(gone));
    });

    test('workspaces: add (limits, group), update, delete', async () => {
      const id = (await create({ name: 'With workspaces' })).collaboration.id;
      const added = await call(`collaborations/${id}/addWorkspace`, {
        collaborationWorkspaceName: 'Second',
        collaborationWorkspaceDescription: 'More',
      });
      assert.equal(added.success, true, JSON.stringify(added));
      assert.equal(added.workspace.portalGroupId, null);
      const wid = added.workspace.id;
      const tooLong = await call(`collaborations/${id}/addWorkspace`, {
        collaborationWorkspaceName: 'w'.repeat(101),
      });
      assert.match(
        tooLong.error?.message,
        /'collaborationWorkspaceName' is 101 characters long: at most 100/,
      );
      const descLong = await call(`collaborations/${id}/workspaces/${wid}/updateInfo`, {
        collaborationWorkspaceDescription: 'd'.repeat(251),
      });
      assert.match(
        descLong.error?.message,
        /'collaborationWorkspaceDescription' is 251 characters long: at most 250/,
      );
      const noGroup = await call(`collaborations/${id}/workspaces/${wid}/updateInfo`, {
        portalGroupId: 'nope',
      });
      assert.equal(noGroup.error?.messageCode, 'collaboration.group_not_found');
      const linked = await call(`collaborations/${id}/workspaces/${wid}/updateInfo`, {
        portalGroupId: groupId,
        collaborationWorkspaceName: 'Renamed',
      });
      assert.deepEqual([linked.workspace.name, linked.workspace.portalGroupId], ['Renamed', groupId]);
      assert.deepEqual(
        (await call(`collaborations/${id}/workspaces`)).workspaces.map((w: { name: string }) => w.name),
        ['Hydrology', 'Renamed'],
      );
      assert.equal((await call(`collaborations/${id}/workspaces/${wid}/delete`)).success, true);
      assert.equal((await call(`collaborations/${id}/workspaces`)).workspaces.length, 1);
      const missing = await call(`collaborations/${id}/workspaces/${wid}/delete`);
      assert.equal(missing.error?.messageCode, 'collaboration.not_found');
    });

    test('administrators only', async () => {
      await portal.call('/portaladmin/security/users/createUser', {
        token,
        username: 'member1',
        password: 'Member-password-1!',
        email: 'm@example.org',
        role: 'org_user',
      });
      const userToken = await portal.token('member1', 'Member-password-1!');
      const r = await portal.call(`${S}/collaborations`, { token: userToken });
      assert.equal(r.error?.code, 403, JSON.stringify(r));
      const anon = await portal.call(`${S}/createCollaboration`, { name: 'x' });
      assert.equal(anon.error?.code, 499, JSON.stringify(anon));
    });
  });
}
