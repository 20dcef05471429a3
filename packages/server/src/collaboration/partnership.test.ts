/**
 * The whole trust exchange between two real portals (own CA and data directory each, in this
 * process), on SQLite and on PostgreSQL: create → invite → accept with the host's fingerprint
 * confirmed → export the response → import it with the guest's fingerprint confirmed; no
 * restart, no certificate file by hand. Then the partners' signed calls: answered both ways;
 * unsigned, stale, altered or replayed calls refused; after the host removes the guest (the
 * guest told), the calls are refused on both sides.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { accept, invite, type Json, type Partners, postFile, S, startPartners } from './test-partners.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`collaboration partnership between two portals (${database})`, () => {
    let p: Partners;
    let guestId: string;
    let hostId: string;
    let response: { text: string; fileName: string };
    /** PostgreSQL: a second host node on the same database (a nonce seen by one, the revocation). */
    let nodeB: TestPortal | undefined;
    const path = (resource: string) => `${S}/collaborations/${p.collaborationId}/${resource}`;
    const importResponse = (text: string, fields: Record<string, string> = {}, validate = false) =>
      postFile(
        p.host,
        path(validate ? 'validateInvitationResponse' : 'importInvitationResponse'),
        'invitationResponseFile',
        text,
        { token: p.hostToken, ...fields },
      );

    before(async () => {
      p = await startPartners({ database });
      [hostId, guestId] = await Promise.all([p.host.modules.portal.orgId(), p.guest.modules.portal.orgId()]);
    });
    after(async () => {
      await nodeB?.close();
      await p?.close();
    });

    test('invited, accepted with the host fingerprint confirmed, the response exported', async () => {
      const { text, doc } = await invite(p);
      const untrusted = await accept(p, text);
      assert.equal(
        untrusted.error?.messageCode,
        'collaboration.untrusted_certificate',
        JSON.stringify(untrusted),
      );
      const ok = await accept(p, text, { trustPresentedCertificate: doc.host.fingerprint });
      assert.equal(ok.success, true, JSON.stringify(ok));
      const res = await p.guest.fetch(path('exportInvitationResponse'), {
        method: 'POST',
        body: new URLSearchParams({ f: 'json', token: p.guestToken }),
      });
      const fileName = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? '';
      response = { text: await res.text(), fileName };
      const r = JSON.parse(response.text) as Json;
      assert.equal(fileName, `collaboration-response-${new URL(p.guest.url).hostname}.invite-response`);
      assert.equal(r.guest.portalId, guestId);
      assert.equal(r.guest.portalUrl, p.guest.url);
      assert.equal(r.guest.fingerprint, new X509Certificate(p.guest.caCertPem).fingerprint256);
      assert.equal(r.guest.contact.email, 'guest@example.org');
      assert.equal(r.invitationId, doc.invitationId);
      assert.ok(r.guest.publicKey && r.signature);
      const onHost = await p.host.call(path('exportInvitationResponse'), { token: p.hostToken });
      assert.equal(onHost.error?.messageCode, 'collaboration.not_guest');
    });

    test("the host does not trust the guest's CA: the same message, diagnosis and signed fingerprint; a tampered response refused", async () => {
      const fp = JSON.parse(response.text).guest.fingerprint;
      const r = await importResponse(response.text);
      assert.equal(r.error?.messageCode, 'collaboration.untrusted_certificate', JSON.stringify(r));
      assert.ok(
        r.error.message.startsWith(
          `Failed to validate SSL certificate for ${p.guest.url}. The certificate authority that issued the SSL certificate needs to be trusted by Portal before the invitation response can be imported.`,
        ),
        r.error.message,
      );
      assert.equal(r.error.fingerprintToConfirm, fp);
      const aliases = async () =>
        (await p.host.modules.pki.trust.list()).map((e: { alias: string }) => e.alias);
      const before = await aliases();
      const tampered = JSON.parse(response.text);
      tampered.guest.name = 'Someone else';
      const t = await importResponse(JSON.stringify(tampered), { trustPresentedCertificate: fp }, true);
      assert.equal(t.error?.messageCode, 'collaboration.invitation_tampered', JSON.stringify(t));
      assert.deepEqual(await aliases(), before, 'the trust entry of the failed run is gone');
      assert.deepEqual((await p.host.call(path('participants'), { token: p.hostToken })).participants, []);
    });

    test('imported with the guest fingerprint confirmed: both sides have a participant record, no restart', async () => {
      const fp = JSON.parse(response.text).guest.fingerprint;
      const r = await importResponse(response.text, { trustPresentedCertificate: fp });
      assert.equal(r.success, true, JSON.stringify(r));
      assert.equal(r.participantId, guestId);
      const onHost = await p.host.call(path(`participants/${guestId}`), { token: p.hostToken });
      assert.deepEqual(
        [onHost.participantId, onHost.role, onHost.state, onHost.portalUrl],
        [guestId, 'guest', 'active', p.guest.url],
      );
      assert.deepEqual(onHost.accessModes, { [p.workspaceId]: 'sendAndReceive' });
      const onGuest = (await p.guest.call(path('participants'), { token: p.guestToken })).participants;
      assert.deepEqual(
        onGuest.map((x: Json) => [x.participantId, x.role, x.state, x.portalUrl]),
        [[hostId, 'host', 'active', p.host.url]],
      );
      const again = await importResponse(response.text);
      assert.equal(again.error?.messageCode, 'collaboration.invitation_used', JSON.stringify(again));
      const inv = await p.host.call(path('invitations'), { token: p.hostToken });
      assert.equal(inv.collaborationInvitations[0].status, 'completed');
    });

    test('partner calls signed with the exchanged keys are answered, both ways', async () => {
      const fromGuest = await p.guest.modules.collaboration.partners.call(
        p.collaborationId,
        hostId,
        path('partnerPing'),
        {
          message: 'hello',
        },
      );
      assert.deepEqual(
        [fromGuest.participantId, fromGuest.portalId, fromGuest.message],
        [guestId, hostId, 'hello'],
      );
      const fromHost = await p.host.modules.collaboration.partners.call(
        p.collaborationId,
        guestId,
        path('partnerPing'),
      );
      assert.deepEqual([fromHost.participantId, fromHost.portalId], [hostId, guestId]);
    });

    test('unsigned, stale, altered and replayed calls are refused', async () => {
      const url = `${p.host.url}${path('partnerPing')}`;
      const form = { f: 'json' };
      const send = (header: string | undefined, body: Record<string, string> = form) =>
        p.host
          .fetch(url, {
            method: 'POST',
            body: new URLSearchParams(body),
            headers: header ? { 'x-meridian-partner': header } : {},
          })
          .then((r) => r.json() as Promise<Json>);
      const sign = (at?: number) =>
        p.guest.modules.collaboration.partners.sign(p.collaborationId, 'POST', url, form, at);
      const unsigned = await send(undefined);
      assert.equal(
        unsigned.error?.messageCode,
        'collaboration.partner_unauthenticated',
        JSON.stringify(unsigned),
      );
      assert.equal(unsigned.error.code, 498);
      const stale = await send(await sign(Date.now() - 6 * 60_000));
      assert.match(stale.error?.message, /more than 5 minutes from this portal's time/);
      const altered = await send(await sign(), { f: 'json', message: 'changed on the way' });
      assert.equal(altered.error?.messageCode, 'collaboration.partner_unauthenticated');
      const header = await sign();
      assert.equal((await send(header)).success, true);
      const replay = await send(header);
      assert.match(replay.error?.message, /it was sent before \(a replay\)/);
      const otherCollaboration = await p.host.call(
        `${S}/collaborations/${'0'.repeat(32)}/partnerPing`,
        {},
        { headers: { 'x-meridian-partner': await sign() } },
      );
      assert.equal(otherCollaboration.error?.messageCode, 'collaboration.partner_unauthenticated');
    });

    const pingNodeB = async (header: string) => {
      const url = `https://localhost:${nodeB!.httpsPort}${path('partnerPing')}`;
      const res = await nodeB!.fetch(url, {
        method: 'POST',
        body: new URLSearchParams({ f: 'json' }),
        headers: { 'x-meridian-partner': header },
      });
      return (await res.json()) as Json;
    };
    const signFor = (node: TestPortal) =>
      p.guest.modules.collaboration.partners.sign(
        p.collaborationId,
        'POST',
        `https://localhost:${node.httpsPort}${path('partnerPing')}`,
        { f: 'json' },
      );

    test('a second host node on one database answers the partner, and refuses a nonce the first node saw', {
      skip: database !== 'postgres',
    }, async () => {
      nodeB = await startTestPortal({
        databaseUrl: p.host.config.database.url,
        secretsKeyFrom: p.host.home,
        overrides: { publicUrl: p.host.url },
      });
      const header = await signFor(nodeB);
      assert.equal((await pingNodeB(header)).success, true);
      const replayedElsewhere = await p.host.fetch(`${p.host.url}${path('partnerPing')}`, {
        method: 'POST',
        body: new URLSearchParams({ f: 'json' }),
        headers: { 'x-meridian-partner': header },
      });
      assert.match(((await replayedElsewhere.json()) as Json).error?.message, /a replay/);
    });

    test('the host removes the guest: the guest is told; its calls and the host’s are refused', async () => {
      const removed = await p.host.call(path(`participants/${guestId}/remove`), { token: p.hostToken });
      assert.deepEqual([removed.success, removed.partnerTold], [true, true], JSON.stringify(removed));
      await assert.rejects(
        p.guest.modules.collaboration.partners.call(p.collaborationId, hostId, path('partnerPing')),
        (err: { code?: string }) => err.code === 'collaboration.partner_revoked',
      );
      await assert.rejects(
        p.host.modules.collaboration.partners.call(p.collaborationId, guestId, path('partnerPing')),
        (err: { code?: string }) => err.code === 'collaboration.partner_revoked',
      );
      const onGuest = (await p.guest.call(path('participants'), { token: p.guestToken })).participants;
      assert.equal(onGuest[0].state, 'removed');
      // The trust entries the exchange added go with the partnership, on both sides.
      const aliases = async (side: 'host' | 'guest') =>
        (await p[side].modules.pki.trust.list()).map((e: { alias: string }) => e.alias);
      assert.deepEqual(
        (await aliases('guest')).filter((a) => a.startsWith('collaboration-')),
        [],
        'the guest no longer trusts the host it confirmed for the partnership',
      );
      assert.deepEqual(
        (await aliases('host')).filter((a) => a.startsWith('collaboration-')),
        [],
        'the host no longer trusts the guest it confirmed for the partnership',
      );
      if (nodeB) {
        const refusedOnB = await pingNodeB(await signFor(nodeB));
        assert.equal(
          refusedOnB.error?.messageCode,
          'collaboration.partner_revoked',
          JSON.stringify(refusedOnB),
        );
        await nodeB.close();
        nodeB = undefined;
      }
    });
  });
}
