/**
 * A partnership's API edges between two real portals (own CA and data directory each), on
 * SQLite and PostgreSQL: web-tier parameters refused (never used, logged or stored); the group
 * the guest linked before it exported its response shown on the host's participant; the host's
 * own access mode enforced where it sends and receives; a guest deleting its record of the
 * collaboration only after it left, with its sync state.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { accept, invite, type Json, type Partners, postFile, startPartners } from './test-partners.ts';
import { addItem, groupItems, share } from './test-sync.ts';

const PASSWORD = 'Web-tier-secret-9f3a!';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration partnership lifecycle (${database})`, () => {
    let p: Partners;
    let guestId: string;
    let guestGroup: { id: string; title: string };
    let hostGroup: string;
    const path = (resource: string) => `${S}/collaborations/${p.collaborationId}/${resource}`;
    const S = '/sharing/rest/portals/self';
    const onGuest = (resource: string, fields: Record<string, string | number | boolean> = {}) =>
      p.guest.call(path(resource), { token: p.guestToken, ...fields });
    const importResponse = (text: string, fields: Record<string, string>, validate = false) =>
      postFile(
        p.host,
        path(validate ? 'validateInvitationResponse' : 'importInvitationResponse'),
        'invitationResponseFile',
        text,
        { token: p.hostToken, ...fields },
      );
    const syncNow = async (): Promise<Json> => {
      const r = await onGuest(`workspaces/${p.workspaceId}/sync`, { async: false });
      assert.equal(r.success, true, JSON.stringify(r));
      const s = await onGuest(`workspaces/${p.workspaceId}/syncStatus`, { syncId: r.key });
      return s.status[0];
    };
    const setHostAccess = (mode: string) =>
      p.host.kernel.db.kysely
        .updateTable('collaboration_workspaces')
        .set({ host_access: mode })
        .where('id', '=', p.workspaceId)
        .execute();

    before(async () => {
      p = await startPartners({ database });
      guestId = await p.guest.modules.portal.orgId();
      hostGroup = (await p.host.call(path(''), { token: p.hostToken })).workspaces[0].portalGroupId;
    });
    after(() => p?.close());

    test('hostWebauth* with a value is refused with its own code, naming the parameter, never the value; empty is accepted', async () => {
      const { text, doc } = await invite(p);
      const trust = { trustPresentedCertificate: doc.host.fingerprint };
      const refused = await accept(p, text, {
        ...trust,
        hostWebauthUsername: 'ada',
        hostWebauthPassword: PASSWORD,
      });
      assert.equal(refused.error?.messageCode, 'collaboration.webauth_not_needed', JSON.stringify(refused));
      assert.match(refused.error.message, /'hostWebauthUsername', 'hostWebauthPassword' were given a value/);
      assert.match(refused.error.message, /keys exchanged in the invitation/);
      assert.ok(!JSON.stringify(refused).includes(PASSWORD));
      const validated = await accept(p, text, { ...trust, hostWebauthPassword: PASSWORD }, true);
      assert.equal(validated.error?.messageCode, 'collaboration.webauth_not_needed');
      const file = await accept(p, text, { ...trust, hostWebauthCertPassword: 'pw' });
      assert.equal(file.error?.messageCode, 'collaboration.webauth_not_needed');
      assert.equal((await p.guest.call(`${S}/collaborations`, { token: p.guestToken })).total, 0);
      const ok = await accept(p, text, { ...trust, hostWebauthUsername: '', hostWebauthPassword: '' });
      assert.equal(ok.success, true, JSON.stringify(ok));
    });

    test("the group the guest linked before exporting is named in its signed response and shown on the host's participant", async () => {
      const g = await p.guest.call('/sharing/rest/community/createGroup', {
        token: p.guestToken,
        title: 'Received rivers',
        access: 'org',
      });
      guestGroup = { id: g.group.id, title: 'Received rivers' };
      const linked = await onGuest(`workspaces/${p.workspaceId}/updatePortalGroupLink`, {
        portalGroupId: guestGroup.id,
      });
      assert.equal(linked.success, true, JSON.stringify(linked));
      const res = await p.guest.fetch(path('exportInvitationResponse'), {
        method: 'POST',
        body: new URLSearchParams({ f: 'json', token: p.guestToken }),
      });
      const text = await res.text();
      const response = JSON.parse(text) as Json;
      assert.deepEqual(response.linkedGroups, [
        { workspaceId: p.workspaceId, groupId: guestGroup.id, title: guestGroup.title },
      ]);
      const trust = { trustPresentedCertificate: response.guest.fingerprint };
      const refused = await importResponse(text, { ...trust, guestWebauthPassword: PASSWORD });
      assert.equal(refused.error?.messageCode, 'collaboration.webauth_not_needed', JSON.stringify(refused));
      assert.ok(!JSON.stringify(refused).includes(PASSWORD));
      const checked = await importResponse(text, { ...trust, guestWebauthUsername: 'x' }, true);
      assert.equal(checked.error?.messageCode, 'collaboration.webauth_not_needed');
      const forged = JSON.stringify({
        ...response,
        linkedGroups: [{ ...response.linkedGroups[0], title: 'Other' }],
      });
      const tampered = await importResponse(forged, trust);
      assert.equal(
        tampered.error?.messageCode,
        'collaboration.invitation_tampered',
        JSON.stringify(tampered),
      );
      const imported = await importResponse(text, { ...trust, guestWebauthPassword: '' });
      assert.equal(imported.success, true, JSON.stringify(imported));
      const participant = await p.host.call(path(`participants/${guestId}`), { token: p.hostToken });
      assert.deepEqual(participant.linkedGroups, {
        [p.workspaceId]: { groupId: guestGroup.id, title: guestGroup.title },
      });
      const listed = await p.host.call(path('participants'), { token: p.hostToken });
      assert.deepEqual(listed.participants[0].linkedGroups, participant.linkedGroups);
    });

    test("the host's own access mode is enforced where it sends (the guest's pull) and receives (the guest's push)", async () => {
      const itemId = await addItem(p.host, p.hostToken, { title: 'Gauge', type: 'Web Map', text: '{}' });
      await share(p.host, p.hostToken, itemId, hostGroup);
      await setHostAccess('receive');
      const pull = await syncNow();
      assert.equal(pull.status, 'failed', JSON.stringify(pull));
      assert.match(
        JSON.stringify(pull.history),
        /own access mode in workspace .* is 'receive'.*does not send/,
      );
      assert.equal((await groupItems(p.guest, p.guestToken, guestGroup.id)).length, 0);
      await setHostAccess('send');
      const push = await syncNow();
      assert.equal(push.status, 'failed', JSON.stringify(push));
      assert.match(
        JSON.stringify(push.history),
        /own access mode in workspace .* is 'send'.*does not receive/,
      );
      await setHostAccess('sendAndReceive');
      const ok = await syncNow();
      assert.equal(ok.status, 'completed', JSON.stringify(ok));
      assert.deepEqual(
        (await groupItems(p.guest, p.guestToken, guestGroup.id)).map((i) => i.title),
        ['Gauge'],
      );
    });

    test('a guest deletes its record only after it left: refused while active; then workspaces, partner, sync state and schedule go, received items stay per policy', async () => {
      const cid = p.collaborationId;
      const sched = await onGuest(`workspaces/${p.workspaceId}/schedule/update`, { interval: 24 });
      assert.equal(sched.success, true, JSON.stringify(sched));
      const early = await onGuest('delete');
      assert.equal(early.error?.messageCode, 'collaboration.leave_first', JSON.stringify(early));
      assert.match(early.error.message, /must leave before it deletes/);
      assert.equal((await onGuest('')).id, cid);
      const left = await onGuest('removeParticipation');
      assert.equal(left.success, true, JSON.stringify(left));
      const db = p.guest.kernel.db.kysely;
      const tables = [
        'collaboration_workspaces',
        'collaboration_participants',
        'collaboration_cursors',
        'collaboration_received',
        'collaboration_sync_runs',
        'collaboration_schedules',
      ] as const;
      const count = async (table: (typeof tables)[number]) =>
        Number(
          (
            await db
              .selectFrom(table)
              .where('collaboration_id', '=', cid)
              .select((e) => e.fn.countAll<number | string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      for (const t of tables) assert.ok((await count(t)) > 0, `${t} has rows before the delete`);
      const deleted = await onGuest('delete');
      assert.deepEqual(deleted, { success: true, collaborationId: cid });
      assert.equal((await onGuest('')).error?.messageCode, 'collaboration.not_found');
      for (const t of tables) assert.equal(await count(t), 0, `${t} is empty after the delete`);
      const kept = await groupItems(p.guest, p.guestToken, guestGroup.id);
      assert.deepEqual(
        kept.map((i) => i.title),
        ['Gauge'],
        'the received copy stays (deleteReceivedItems is false), marked no longer synced',
      );
      assert.ok(kept[0]!.typeKeywords.includes('collaborationUnsynced'), kept[0]!.typeKeywords);
      const hostSide = await p.host.call(path(`participants/${guestId}`), { token: p.hostToken });
      assert.equal(hostSide.state, 'removed', 'the host was told');
    });
  });
}
