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

    test('the item delete policy is answered with the collaboration and in the list', async () => {
      const id = (await create({ name: 'With a policy' })).collaboration.id;
      const before = await call(`collaborations/${id}`);
      assert.deepEqual([before.deleteContributedItems, before.deleteReceivedItems], [false, false]);
      const set = await call(`collaborations/${id}/updateItemDeletePolicy`, {
        deleteContributedItems: 'true',
        deleteReceivedItems: 'false',
      });
      assert.equal(set.success, true, JSON.stringify(set));
      const c = await call(`collaborations/${id}`);
      assert.deepEqual([c.deleteContributedItems, c.deleteReceivedItems], [true, false]);
      await call(`collaborations/${id}/updateItemDeletePolicy`, { deleteReceivedItems: 'true' });
      const all = await call('collaborations', { num: 100 });
      const entry = all.collaborations.find((x: { id: string }) => x.id === id);
      assert.deepEqual([entry.deleteContributedItems, entry.deleteReceivedItems], [true, true]);
    });

    test("accessMode is the host's own access to the first workspace: stored, answered, validated, and guests given a mode it can honour", async () => {
      const sendOnly = (await create({ name: 'Send only', accessMode: 'send' })).collaboration.id;
      const c = await call(`collaborations/${sendOnly}`);
      assert.equal(c.accessMode, 'send');
      assert.equal(c.workspaces[0].hostAccessMode, 'send');
      const added = await call(`collaborations/${sendOnly}/addWorkspace`, {
        collaborationWorkspaceName: 'More',
      });
      assert.equal(added.workspace.hostAccessMode, 'sendAndReceive');
      const plain = (await create({ name: 'Default mode' })).collaboration.id;
      assert.equal((await call(`collaborations/${plain}`)).accessMode, 'sendAndReceive');
      const bad = await create({ name: 'Bad mode', accessMode: 'sendOnly' });
      assert.ok(bad.error, JSON.stringify(bad));
      assert.match(bad.error.message, /accessMode/);
      const invite = (mode: string) =>
        portal.fetch(`${S}/collaborations/${sendOnly}/inviteParticipant`, {
          method: 'POST',
          body: new URLSearchParams({
            f: 'json',
            token,
            guestPortalUrl: 'https://guest.example.org',
            collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [c.workspaces[0].id]: mode }]),
          }),
        });
      const refused = (await (await invite('sendAndReceive')).json()) as {
        error?: { messageCode: string; message: string };
      };
      assert.equal(refused.error?.messageCode, 'collaboration.invalid_input', JSON.stringify(refused));
      assert.match(refused.error!.message, /own access mode there is 'send'.*Give 'receive'/);
      const sent = await invite('receive');
      assert.match(
        sent.headers.get('content-disposition') ?? '',
        /collaboration-guest\.example\.org\.invite/,
      );
    });

    test('every list pages over all its rows, counted and limited by the database (more than 100 rows)', async () => {
      const db = portal.kernel.db.kysely;
      const id = (await create({ name: 'Many' })).collaboration.id;
      const now = Date.now();
      const extra = 150;
      await db
        .insertInto('collaborations')
        .values(
          Array.from({ length: extra }, (_, i) => ({
            id: `bulk${String(i).padStart(28, '0')}`,
            name: `Bulk ${i}`,
            description: '',
            role: 'guest',
            host_portal_id: 'bulk-host',
            host_url: 'https://bulk.example.org',
            host_contact: '{}',
            own_contact: '{}',
            config: '',
            created_by: 'admin',
            created: now + 1_000_000 + i,
            modified: now,
          })),
        )
        .execute();
      await db
        .insertInto('collaboration_workspaces')
        .values(
          Array.from({ length: extra }, (_, i) => ({
            id: `ws${String(i).padStart(30, '0')}`,
            collaboration_id: id,
            name: `W ${i}`,
            description: '',
            portal_group_id: null,
            config: '',
            created: now + 1_000_000 + i,
            modified: now,
          })),
        )
        .execute();
      await db
        .insertInto('collaboration_invitations')
        .values(
          Array.from({ length: extra }, (_, i) => ({
            id: `inv${String(i).padStart(29, '0')}`,
            collaboration_id: id,
            guest_url: `https://g${i}.example.org`,
            access: '{}',
            expires: now + 3_600_000,
            secret_hash: 'x',
            state: 'pending',
            guest_portal_id: null,
            created_by: 'admin',
            created: now + i,
            modified: now,
          })),
        )
        .execute();
      await db
        .insertInto('collaboration_participants')
        .values(
          Array.from({ length: extra }, (_, i) => ({
            collaboration_id: id,
            portal_id: `portal-${String(i).padStart(4, '0')}`,
            role: 'guest',
            url: `https://g${i}.example.org`,
            name: `Guest ${i}`,
            public_key: 'k',
            cert_fingerprint: 'f',
            trust_alias: null,
            access: '{}',
            contact: '{}',
            state: 'active',
            invitation_id: `inv${String(i).padStart(29, '0')}`,
            created: now + i,
            modified: now,
          })),
        )
        .execute();
      /** Reads every page of a list with num=100; answers the ids in order and the pages' envelopes. */
      const readAll = async (path: string, key: string, idOf: (r: Record<string, string>) => string) => {
        const ids: string[] = [];
        const pages: number[][] = [];
        let start = 1;
        while (start !== -1) {
          const r = await call(path, { start, num: 100 });
          assert.ok(r[key], JSON.stringify(r).slice(0, 300));
          pages.push([r.total, r.start, r.num, r.nextStart, r[key].length]);
          ids.push(...r[key].map(idOf));
          start = r.nextStart;
        }
        return { ids, pages };
      };
      const total = (await call('collaborations', { num: 0 })).total;
      assert.ok(total > 150, String(total));
      const cs = await readAll('collaborations', 'collaborations', (r) => r.id!);
      assert.equal(cs.ids.length, total);
      assert.equal(new Set(cs.ids).size, total);
      assert.deepEqual(cs.pages[0], [total, 1, 100, 101, 100]);
      assert.equal(cs.ids.at(-1), `bulk${String(extra - 1).padStart(28, '0')}`);
      const ws = await readAll(`collaborations/${id}/workspaces`, 'workspaces', (r) => r.id!);
      assert.deepEqual(ws.pages, [
        [extra + 1, 1, 100, 101, 100],
        [extra + 1, 101, 100, -1, extra + 1 - 100],
      ]);
      assert.equal(ws.ids.at(-1), `ws${String(extra - 1).padStart(30, '0')}`);
      const inv = await readAll(`collaborations/${id}/invitations`, 'collaborationInvitations', (r) => r.id!);
      assert.deepEqual(inv.pages, [
        [extra, 1, 100, 101, 100],
        [extra, 101, 100, -1, extra - 100],
      ]);
      assert.equal(new Set(inv.ids).size, extra);
      const ps = await readAll(`collaborations/${id}/participants`, 'participants', (r) => r.participantId!);
      assert.deepEqual(ps.pages, [
        [extra, 1, 100, 101, 100],
        [extra, 101, 100, -1, extra - 100],
      ]);
      assert.deepEqual(
        ps.ids,
        Array.from({ length: extra }, (_, i) => `portal-${String(i).padStart(4, '0')}`),
      );
      const defaultPage = await call(`collaborations/${id}/participants`);
      assert.deepEqual(
        [defaultPage.num, defaultPage.participants.length, defaultPage.nextStart],
        [100, 100, 101],
      );
      await db.deleteFrom('collaborations').where('host_portal_id', '=', 'bulk-host').execute();
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
