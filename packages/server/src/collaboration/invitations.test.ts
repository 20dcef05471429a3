/**
 * Invitations between two real portals, each with its own CA and data directory, in this
 * process: the signed file and what it carries; the seed-000 scenario (the guest does not trust
 * the host's CA: the seed's message with the diagnosis and the signed fingerprint, a wrong
 * fingerprint refused with nothing trusted, the right one trusted and the invitation accepted,
 * no restart); then tampered, reused, wrongly addressed, expired, invalidated and refreshed
 * invitations, each refused with its own code.
 */
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { acceptInvitation } from './accept.ts';
import type { CollaborationContext } from './context.ts';
import { collaborationKey } from './keys.ts';
import { accept, invite, type Json, type Partners, S, startPartners } from './test-partners.ts';

describe('collaboration invitations between two portals', () => {
  let p: Partners;
  let first: { text: string; fileName: string; doc: Json };
  const hostCall = (path: string, fields: Record<string, string | number> = {}) =>
    p.host.call(`${S}/collaborations/${p.collaborationId}/${path}`, { token: p.hostToken, ...fields });
  const trustAliases = async () =>
    (await p.guest.modules.pki.trust.list()).map((e: { alias: string }) => e.alias);

  before(async () => {
    p = await startPartners();
  });
  after(() => p?.close());

  test('inviteParticipant answers the signed file collaboration-<guest host>.invite with what the guest needs', async () => {
    first = await invite(p, { guestPortalUrl: p.guest.url.toUpperCase().replace('HTTPS', 'https') });
    const doc = first.doc;
    assert.equal(first.fileName, `collaboration-${new URL(p.guest.url).hostname}.invite`);
    assert.equal(doc.type, 'meridian.collaboration.invitation');
    assert.equal(doc.host.portalUrl, p.host.url);
    assert.equal(doc.host.portalId, await p.host.modules.portal.orgId());
    assert.equal(doc.guestPortalUrl, p.guest.url.toLowerCase());
    const ca = new X509Certificate(p.host.caCertPem);
    assert.equal(doc.host.fingerprint, ca.fingerprint256, "the fingerprint to trust is the host's CA");
    assert.ok(doc.host.certificateChain.length >= 2);
    assert.equal(doc.collaboration.id, p.collaborationId);
    assert.deepEqual(
      doc.workspaces.map((w: Json) => [w.id, w.accessMode]),
      [[p.workspaceId, 'sendAndReceive']],
    );
    assert.ok(doc.expires > Date.now() + 23 * 3_600_000 && doc.expires <= Date.now() + 24 * 3_600_000);
    assert.ok(doc.secret.length >= 40 && doc.signature);
    const row = await p.host.kernel.db.kysely
      .selectFrom('collaboration_invitations')
      .selectAll()
      .where('id', '=', doc.invitationId)
      .executeTakeFirstOrThrow();
    assert.equal(
      row.secret_hash,
      createHash('sha256').update(doc.secret).digest('hex'),
      'only a hash is kept',
    );
    const listed = await hostCall('invitations');
    assert.equal(listed.total, 1);
    assert.deepEqual(
      listed.collaborationInvitations.map((i: Json) => [i.id, i.status, i.guestPortalUrl]),
      [[doc.invitationId, 'pending', p.guest.url.toLowerCase()]],
    );
    assert.equal(JSON.stringify(listed).includes(doc.secret), false);
  });

  test('bad invitation input is refused with the parameter named', async () => {
    const wrongWs = await hostCall('inviteParticipant', {
      guestPortalUrl: p.guest.url,
      collaborationWorkspacesParticipantConfigJSON: '[{"nope":"send"}]',
    });
    assert.match(wrongWs.error?.message, /names workspace 'nope', which is not in this collaboration/);
    const badMode = await hostCall('inviteParticipant', {
      guestPortalUrl: p.guest.url,
      collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [p.workspaceId]: 'everything' }]),
    });
    assert.match(badMode.error?.message, /must be one of send, receive, sendAndReceive/);
    const http = await hostCall('inviteParticipant', {
      guestPortalUrl: 'http://example.org',
      collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [p.workspaceId]: 'send' }]),
    });
    assert.match(http.error?.message, /must be an https:\/\/ URL/);
    const self = await hostCall('inviteParticipant', {
      guestPortalUrl: p.host.url,
      collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [p.workspaceId]: 'send' }]),
    });
    assert.equal(self.error?.messageCode, 'collaboration.invalid_input');
  });

  test("seed 000: the host's CA is untrusted: the seed's message, the diagnosis and the signed fingerprint; nothing stored", async () => {
    const before = await trustAliases();
    const r = await accept(p, first.text);
    assert.equal(r.error?.messageCode, 'collaboration.untrusted_certificate', JSON.stringify(r));
    assert.ok(
      r.error.message.startsWith(
        `Failed to validate SSL certificate for ${p.host.url}. The certificate authority that issued the SSL certificate needs to be trusted by Portal before the invitation can be accepted.`,
      ),
      r.error.message,
    );
    assert.match(r.error.message, /trustPresentedCertificate=/);
    assert.equal(r.error.diagnosisCode, 'trust.unknown_ca');
    assert.equal(r.error.fingerprintToConfirm, first.doc.host.fingerprint);
    assert.ok(r.error.presentedChain.some((c: Json) => c.sha256Fingerprint === first.doc.host.fingerprint));
    const wrong = await accept(p, first.text, { trustPresentedCertificate: 'AB'.repeat(32) });
    assert.equal(wrong.error?.messageCode, 'collaboration.fingerprint_mismatch', JSON.stringify(wrong));
    assert.deepEqual(await trustAliases(), before, 'nothing was trusted');
    assert.equal((await p.guest.call(`${S}/collaborations`, { token: p.guestToken })).total, 0);
    assert.equal((await hostCall('invitations')).collaborationInvitations[0].status, 'pending');
  });

  test('the signed fingerprint confirmed: validated, then accepted, with no restart', async () => {
    const fp = first.doc.host.fingerprint.replaceAll(':', '').toLowerCase();
    const checked = await accept(p, first.text, { trustPresentedCertificate: fp }, true);
    assert.equal(checked.success, true, JSON.stringify(checked));
    assert.equal(
      (await hostCall('invitations')).collaborationInvitations[0].status,
      'pending',
      'validate takes nothing',
    );
    const r = await accept(p, first.text);
    assert.equal(r.success, true, JSON.stringify(r));
    assert.equal(r.collaborationId, p.collaborationId);
    assert.equal(r.hostPortalUrl, p.host.url);
    const c = await p.guest.call(`${S}/collaborations/${p.collaborationId}`, { token: p.guestToken });
    assert.equal(c.isHost, false);
    assert.equal(c.hostPortalUrl, p.host.url);
    assert.deepEqual(
      c.workspaces.map((w: Json) => [w.id, w.portalGroupId]),
      [[p.workspaceId, null]],
    );
    const inv = (await hostCall('invitations')).collaborationInvitations[0];
    assert.equal(inv.status, 'accepted');
    assert.equal(inv.guestPortalId, await p.guest.modules.portal.orgId());
    const traces = await p.guest.call(
      '/portaladmin/traces',
      {
        token: p.guestToken,
        pipeline: 'collaboration.accept_invitation',
      },
      { method: 'GET' },
    );
    assert.deepEqual(
      traces.traces.map((t: Json) => t.outcome),
      ['succeeded', 'failed', 'failed'],
      'each run leaves a trace: the untrusted one, the wrong fingerprint, the acceptance',
    );
  });

  test('a reused invitation is refused: single use', async () => {
    const r = await accept(p, first.text);
    assert.equal(r.error?.messageCode, 'collaboration.invitation_used', JSON.stringify(r));
  });

  test('a tampered invitation is refused, whatever field changed', async () => {
    const fresh = await invite(p);
    for (const change of [
      (d: Json) => {
        d.collaboration.name = 'Other';
      },
      (d: Json) => {
        d.workspaces[0].accessMode = 'send';
      },
      (d: Json) => {
        d.expires += 1;
      },
    ]) {
      const doc = JSON.parse(fresh.text);
      change(doc);
      const r = await accept(p, JSON.stringify(doc));
      assert.equal(r.error?.messageCode, 'collaboration.invitation_tampered', JSON.stringify(r));
    }
    const notOne = await accept(p, '{"hello":1}');
    assert.equal(notOne.error?.messageCode, 'collaboration.invitation_tampered');
    assert.match(notOne.error.message, /is not a Meridian invitation file/);
    assert.equal((await hostCall(`invitations/${fresh.doc.invitationId}`)).status, 'pending');
  });

  test('an invitation addressed to another portal is refused', async () => {
    const other = await invite(p, { guestPortalUrl: 'https://portal.example.org' });
    const r = await accept(p, other.text);
    assert.equal(r.error?.messageCode, 'collaboration.invitation_wrong_guest', JSON.stringify(r));
    assert.match(r.error.message, /addressed to https:\/\/portal\.example\.org; this portal is/);
  });

  test('an expired invitation is refused (the host keeps the expiry; the file cannot be changed)', async () => {
    const soon = await invite(p, { expiration: 1 });
    await p.host.kernel.db.kysely
      .updateTable('collaboration_invitations')
      .set({ expires: Date.now() - 1000 })
      .where('id', '=', soon.doc.invitationId)
      .execute();
    const r = await accept(p, soon.text);
    assert.equal(r.error?.messageCode, 'collaboration.invitation_expired', JSON.stringify(r));
    assert.equal((await hostCall(`invitations/${soon.doc.invitationId}`)).status, 'expired');
  });

  test('the guest refuses an invitation past its signed expiry by its own clock, before it calls the host', async () => {
    const file = await invite(p, { expiration: 1 });
    const g = p.guest;
    const later = { now: () => Date.now() + 2 * 3_600_000 };
    const ctx: CollaborationContext = {
      kernel: { ...g.kernel, clock: later },
      pki: g.modules.pki,
      groups: g.modules.content.groups,
      content: g.modules.content,
      servers: g.modules.servers.copies,
      partialsDir: '',
      orgId: () => g.modules.portal.orgId(),
      portalName: async () => 'guest',
      servedChain: () => [],
      key: collaborationKey(g.kernel),
      stopping: new AbortController().signal,
    };
    await assert.rejects(
      acceptInvitation(ctx, { text: file.text }, 'admin', false),
      (err: { code?: string; message?: string }) => {
        assert.equal(err.code, 'collaboration.invitation_expired');
        assert.match(err.message ?? '', /This invitation expired on /);
        return true;
      },
    );
    assert.equal(
      (await hostCall(`invitations/${file.doc.invitationId}`)).status,
      'pending',
      'the host was not asked',
    );
  });

  test('invalidated, and refreshed (a new file for 72 more hours; the old one no longer works)', async () => {
    const gone = await invite(p);
    assert.equal((await hostCall(`invitations/${gone.doc.invitationId}/invalidate`)).success, true);
    const r = await accept(p, gone.text);
    assert.equal(r.error?.messageCode, 'collaboration.invitation_invalidated', JSON.stringify(r));

    const old = await invite(p);
    const res = await p.host.fetch(
      `${S}/collaborations/${p.collaborationId}/invitations/${old.doc.invitationId}/refresh`,
      {
        method: 'POST',
        body: new URLSearchParams({ f: 'json', token: p.hostToken }),
      },
    );
    assert.match(res.headers.get('content-disposition') ?? '', /collaboration-.*\.invite/);
    const renewed = (await res.json()) as Json;
    assert.equal(renewed.invitationId, old.doc.invitationId);
    assert.notEqual(renewed.secret, old.doc.secret);
    assert.ok(renewed.expires >= old.doc.expires + 72 * 3_600_000);
    const stale = await accept(p, old.text, {}, true);
    assert.equal(stale.error?.messageCode, 'collaboration.invitation_invalidated', JSON.stringify(stale));
    const bad = await p.guest.call(`${S}/acceptCollaborationInvitation`, { token: p.guestToken });
    assert.match(bad.error?.message, /Missing required parameter 'invitationFile' \(or 'invitationJSON'\)/);
  });
});
