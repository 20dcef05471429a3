/**
 * Three portals in one workspace (a host and two guests, real portals in this process, on both
 * databases): an item a guest shares reaches the host, which relays it to the other guest once
 * (that guest records the host as its origin: it never talks to the first guest), and never
 * comes back to the guest that sent it; an update and an unshare at the source travel the same
 * way; removing one guest leaves the other syncing as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { accept, invite, type Json, postFile } from './test-partners.ts';
import { addItem, groupItems, type SyncPartners, share, startSyncPartners, syncNow } from './test-sync.ts';

/** A second guest of the same workspace, invited, accepted and linked through the same routes. */
async function addGuest(p: SyncPartners, guest: TestPortal): Promise<SyncPartners> {
  const guestToken = await guest.token();
  const q: SyncPartners = { ...p, guest, guestToken };
  const { text, doc } = await invite(q);
  const ok = await accept(q, text, { trustPresentedCertificate: doc.host.fingerprint });
  assert.equal(ok.success, true, JSON.stringify(ok));
  const res = await guest.fetch(p.path('exportInvitationResponse'), {
    method: 'POST',
    body: new URLSearchParams({ f: 'json', token: guestToken }),
  });
  const responseText = await res.text();
  const imported = await postFile(
    p.host,
    p.path('importInvitationResponse'),
    'invitationResponseFile',
    responseText,
    {
      token: p.hostToken,
      trustPresentedCertificate: JSON.parse(responseText).guest.fingerprint,
    },
  );
  assert.equal(imported.success, true, JSON.stringify(imported));
  const g = await guest.call('/sharing/rest/community/createGroup', {
    token: guestToken,
    title: 'Received',
    access: 'org',
  });
  const linked = await guest.call(p.path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
    token: guestToken,
    portalGroupId: g.group.id,
  });
  assert.equal(linked.success, true, JSON.stringify(linked));
  return { ...q, guestId: await guest.modules.portal.orgId(), guestGroup: g.group.id };
}

const mark = (item: Json, prefix: string) =>
  (item.typeKeywords as string[]).find((k) => k.startsWith(prefix))?.slice(prefix.length);

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`three portals in one workspace (${database})`, () => {
    let a: SyncPartners; // the host and the first guest
    let b: SyncPartners; // the host and the second guest
    let bPortal: TestPortal;
    let sourceItem: string;
    const titled = async (portal: TestPortal, token: string, group: string, title: string) =>
      (await groupItems(portal, token, group)).filter((i) => i.title === title);
    const onHost = (title: string) => titled(a.host, a.hostToken, a.hostGroup, title);
    const onA = (title: string) => titled(a.guest, a.guestToken, a.guestGroup, title);
    const onB = (title: string) => titled(bPortal, b.guestToken, b.guestGroup, title);

    before(async () => {
      a = await startSyncPartners({ database });
      bPortal = await startTestPortal({ database });
      b = await addGuest(a, bPortal);
    });
    after(async () => {
      await bPortal?.close();
      await a?.close();
    });

    test("a guest's item reaches the host, then the other guest once (the host as its origin), and never comes back", async () => {
      sourceItem = await addItem(a.guest, a.guestToken, {
        title: 'From A',
        type: 'Web Map',
        text: '{"v":1}',
      });
      await share(a.guest, a.guestToken, sourceItem, a.guestGroup);
      const pushed = await syncNow(a);
      assert.equal(pushed.status, 'completed', JSON.stringify(pushed));
      const [hostCopy, ...moreOnHost] = await onHost('From A');
      assert.ok(hostCopy && !moreOnHost.length, 'one copy on the host');
      assert.equal(
        mark(hostCopy, 'originPortalId:'),
        a.guestId,
        'the host records the first guest as origin',
      );
      assert.equal(mark(hostCopy, 'originItemId:'), sourceItem);
      const relayed = await syncNow(b);
      assert.equal(relayed.status, 'completed', JSON.stringify(relayed));
      const [bCopy, ...moreOnB] = await onB('From A');
      assert.ok(bCopy && !moreOnB.length, 'one copy on the second guest');
      // The second guest knows only the host: the host relays the item, as its own copy.
      assert.equal(mark(bCopy, 'originPortalId:'), a.hostId, 'the second guest records the host as origin');
      assert.equal(mark(bCopy, 'originItemId:'), hostCopy.id, "its origin item is the host's copy");
      for (let i = 0; i < 2; i++) {
        await syncNow(a);
        await syncNow(b);
      }
      assert.deepEqual(
        (await onA('From A')).map((i) => i.id),
        [sourceItem],
        'nothing comes back to the guest that sent it',
      );
      assert.equal((await onHost('From A')).length, 1, 'the second guest does not send it back to the host');
      assert.deepEqual(
        (await onB('From A')).map((i) => i.id),
        [bCopy.id],
        'no second copy on repeated syncs',
      );
    });

    test('an update at the source travels the same way', async () => {
      await a.guest.call(`/sharing/rest/content/users/admin/items/${sourceItem}/update`, {
        token: a.guestToken,
        title: 'From A v2',
        text: '{"v":2}',
      });
      await syncNow(a);
      assert.equal((await onHost('From A v2')).length, 1);
      await syncNow(b);
      const [bCopy, ...more] = await onB('From A v2');
      assert.ok(bCopy && !more.length, 'the second guest has the update, once');
      assert.deepEqual(await onB('From A'), [], 'and no stale copy');
      const data = await bPortal.fetch(`/sharing/rest/content/items/${bCopy.id}/data?token=${b.guestToken}`);
      assert.deepEqual(await data.json(), { v: 2 });
      await syncNow(a);
      assert.deepEqual(
        (await onA('From A v2')).map((i) => i.id),
        [sourceItem],
        'the update does not come back',
      );
    });

    test('an unshare at the source travels the same way: the copies of the host and of the other guest stop syncing', async () => {
      await a.guest.call(`/sharing/rest/content/items/${sourceItem}/unshare`, {
        token: a.guestToken,
        groups: a.guestGroup,
      });
      await syncNow(a);
      const [hostCopy] = await onHost('From A v2');
      assert.ok(
        hostCopy?.typeKeywords.includes('collaborationUnsynced'),
        'the host keeps its copy, no longer synced',
      );
      await syncNow(b);
      const [bCopy] = await onB('From A v2');
      assert.ok(
        bCopy?.typeKeywords.includes('collaborationUnsynced'),
        `the second guest keeps its copy, no longer synced: ${JSON.stringify(bCopy?.typeKeywords)}`,
      );
      // The second guest's link deletes unshared copies: shared again and unshared again, its copy goes.
      await bPortal.call(b.path(`workspaces/${b.workspaceId}/updatePortalGroupLink`), {
        token: b.guestToken,
        unsharedCopies: 'delete',
      });
      await share(a.guest, a.guestToken, sourceItem, a.guestGroup);
      await syncNow(a);
      await syncNow(b);
      const again = await onB('From A v2');
      assert.equal(again.length, 1, 'shared again: synced again, not duplicated');
      assert.ok(!again[0]?.typeKeywords.includes('collaborationUnsynced'));
      await a.guest.call(`/sharing/rest/content/items/${sourceItem}/unshare`, {
        token: a.guestToken,
        groups: a.guestGroup,
      });
      await syncNow(a);
      await syncNow(b);
      assert.deepEqual(await onB('From A v2'), [], 'the link says delete: the copy goes');
    });

    test('removing one guest leaves the other syncing (what the removed guest contributed stops syncing there)', async () => {
      const early = await addItem(a.guest, a.guestToken, {
        title: 'A before removal',
        type: 'Web Map',
        text: '{}',
      });
      await share(a.guest, a.guestToken, early, a.guestGroup);
      await syncNow(a);
      await syncNow(b);
      assert.equal((await onB('A before removal')).length, 1);
      const removed = await a.host.call(a.path(`participants/${a.guestId}/remove`), { token: a.hostToken });
      assert.equal(removed.success, true, JSON.stringify(removed));
      const participants = (await a.host.call(a.path('participants'), { token: a.hostToken }))
        .participants as Json[];
      const state = (id: string) => participants.find((x) => x.participantId === id)?.state;
      assert.equal(state(b.guestId), 'active', JSON.stringify(participants));
      const hostItem = await addItem(a.host, a.hostToken, {
        title: 'From host',
        type: 'Web Map',
        text: '{}',
      });
      await share(a.host, a.hostToken, hostItem, a.hostGroup);
      const fromB = await addItem(bPortal, b.guestToken, { title: 'From B', type: 'Web Map', text: '{}' });
      await share(bPortal, b.guestToken, fromB, b.guestGroup);
      const run = await syncNow(b);
      assert.equal(run.status, 'completed', JSON.stringify(run));
      assert.equal((await onB('From host')).length, 1, 'the host’s items still reach the other guest');
      assert.equal((await onHost('From B')).length, 1, 'and its items still reach the host');
      assert.deepEqual(await onA('From host'), [], 'not the removed guest');
      // The host keeps what the removed guest contributed, no longer synced (its delete policy); the other
      // guest is told as of an unshare, and its link deletes unshared copies (set above).
      const [onHostKept] = await onHost('A before removal');
      assert.ok(onHostKept?.typeKeywords.includes('collaborationUnsynced'), JSON.stringify(onHostKept));
      assert.deepEqual(await onB('A before removal'), []);
    });
  });
}
