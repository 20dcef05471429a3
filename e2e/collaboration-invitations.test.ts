/**
 * Invitation refusals between two portal processes (`meridian start`, each with its own data
 * directory and CA; the guest does not trust the host's CA): a tampered, wrongly addressed,
 * expired (the host keeps the expiry: set in its SQLite database while it runs), invalidated
 * and reused invitation is each refused with its own code and a message naming the problem,
 * and the guest stores nothing for it: no collaboration, no trust entry (the one the run added
 * for the confirmed fingerprint is removed again).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, test } from 'node:test';
import { Agent, FormData, fetch } from 'undici';
import { freePort } from '../bench/processes.ts';
import type { Json } from './collab/two-portals.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';

const PASSWORD = 'Collab-invite-passw0rd!';
/** Each portal's administrator, and partners reached over loopback (refused by default). */
const ENV = { MERIDIAN_ADMIN_PASSWORD: PASSWORD, MERIDIAN_OUTBOUND_ALLOW_LOOPBACK: 'true' };
const S = '/sharing/rest/portals/self';

type Side = 'host' | 'guest';

describe('collaboration invitations refused between two portal processes', () => {
  let dir: string;
  let homes: Record<Side, string>;
  const p = {} as Record<Side, PortalProcess>;
  const tokens = {} as Record<Side, string>;
  let dispatcher: Agent;
  let collaborationId: string;
  let workspaceId: string;

  /** The JSON answer of a portal (an error answer too: the test reads its code). */
  const send = async (side: Side, path: string, body: URLSearchParams | FormData): Promise<Json> => {
    const res = await fetch(`${p[side].base}${path}`, { method: 'POST', body, dispatcher });
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      assert.fail(`${side} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    }
  };
  const form = (side: Side, params: Record<string, string>) =>
    new URLSearchParams({ f: 'json', token: tokens[side], ...params });
  const call = (side: Side, path: string, params: Record<string, string> = {}) =>
    send(side, path, form(side, params));
  const hostCall = (resource: string, params: Record<string, string> = {}) =>
    call('host', `${S}/collaborations/${collaborationId}/${resource}`, params);

  /** inviteParticipant on the host: the signed file's text and its document. */
  const invite = async (guestPortalUrl = p.guest.base) => {
    const res = await fetch(`${p.host.base}${S}/collaborations/${collaborationId}/inviteParticipant`, {
      method: 'POST',
      dispatcher,
      body: form('host', {
        guestPortalUrl,
        collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [workspaceId]: 'sendAndReceive' }]),
      }),
    });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 300));
    const doc = JSON.parse(text);
    assert.ok(doc.invitationId && doc.host?.fingerprint, text.slice(0, 300));
    return { text, doc };
  };
  /** acceptCollaborationInvitation on the guest, the file as a multipart part, confirming the signed fingerprint. */
  const accept = (text: string, fingerprint: string) => {
    const body = new FormData();
    for (const [k, v] of form('guest', {
      guestContactEmailAddress: 'guest@example.org',
      trustPresentedCertificate: fingerprint,
    }))
      body.set(k, v);
    body.set('invitationFile', new Blob([text]), 'collaboration.invite');
    return send('guest', `${S}/acceptCollaborationInvitation`, body);
  };
  /** What the guest has stored: its collaborations and its trust store's aliases. */
  const guestState = async () => {
    const listed = await call('guest', `${S}/collaborations`);
    assert.ok(Array.isArray(listed.collaborations), JSON.stringify(listed));
    const trust = await call('guest', '/portaladmin/security/trustStore');
    assert.ok(Array.isArray(trust.certificates), JSON.stringify(trust));
    return {
      collaborations: (listed.collaborations as Json[]).map((c) => c.id as string).sort(),
      trust: (trust.certificates as Json[]).map((c) => c.alias as string).sort(),
    };
  };
  /** The reach_host step of the guest's newest acceptance run (its trace): what it trusted. */
  const lastReach = async () => {
    const query = form('guest', { pipeline: 'collaboration.accept_invitation', num: '1' });
    const r = (await (
      await fetch(`${p.guest.base}/portaladmin/traces?${query}`, { dispatcher })
    ).json()) as Json;
    const trace = r.traces?.[0];
    assert.equal(trace?.outcome, 'failed', JSON.stringify(r).slice(0, 500));
    return (trace.steps as Json[]).find((s) => s.name === 'reach_host')?.detail as string | undefined;
  };
  /** Asserts a refusal by its code and a word of its message, and that the guest stored nothing. */
  const refused = async (
    r: Json,
    code: string,
    message: RegExp,
    stored: Awaited<ReturnType<typeof guestState>>,
  ) => {
    assert.equal(r.error?.messageCode, `collaboration.${code}`, JSON.stringify(r));
    assert.match(r.error.message, message);
    assert.deepEqual(await guestState(), stored, 'the guest stored nothing for the refused invitation');
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-collab-invitations-'));
    homes = { host: join(dir, 'host'), guest: join(dir, 'guest') };
    await Promise.all(
      (['host', 'guest'] as const).map(async (side) => {
        p[side] = await startPortalProcess(homes[side], ENV, { port: await freePort() });
      }),
    );
    dispatcher = new Agent({ connect: { ca: [p.host.caPem, p.guest.caPem] } });
    tokens.host = await p.host.token(PASSWORD);
    tokens.guest = await p.guest.token(PASSWORD);
    const group = await call('host', '/sharing/rest/community/createGroup', {
      title: 'Shared with partners',
      access: 'org',
    });
    assert.ok(group.group?.id, JSON.stringify(group));
    const created = await call('host', `${S}/createCollaboration`, {
      name: 'Catchments',
      workspaceName: 'Hydrology',
      portalGroupId: group.group.id,
      hostContactEmailAddress: 'host@example.org',
    });
    collaborationId = created.collaboration?.id;
    assert.ok(collaborationId, JSON.stringify(created));
    workspaceId = (await hostCall(''))?.workspaces?.[0]?.id;
    assert.ok(workspaceId);
  });
  after(async () => {
    await Promise.all([p.host?.stop(), p.guest?.stop()]);
    await dispatcher?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a tampered invitation (a signed field changed by one character) is refused; nothing stored, no trust kept', async () => {
    const fresh = await invite();
    const empty = await guestState();
    assert.deepEqual(empty.collaborations, []);
    const fp = fresh.doc.host.fingerprint as string;
    const changes: Array<(d: Json) => void> = [
      (d) => {
        d.workspaces[0].name = 'Hydrologz';
      },
      (d) => {
        d.collaboration.name = 'Catchmentz';
      },
      (d) => {
        // One letter's case: the same origin, reached and trusted; the signature fails.
        d.host.portalUrl = d.host.portalUrl.replace('localhost', 'Localhost');
      },
    ];
    for (const change of changes) {
      const doc = JSON.parse(fresh.text);
      change(doc);
      const r = await accept(JSON.stringify(doc, null, 2), fp);
      await refused(r, 'invitation_tampered', /does not verify .*changed after the host signed it/, empty);
      assert.match(
        (await lastReach()) ?? '',
        /^trusted, added collaboration-/,
        'the run trusted, then forgot',
      );
    }
    assert.equal((await hostCall(`invitations/${fresh.doc.invitationId}`)).status, 'pending');
  });

  test('an invitation addressed to another guest URL is refused', async () => {
    const stored = await guestState();
    const other = await invite('https://other.example:1234');
    const r = await accept(other.text, other.doc.host.fingerprint);
    await refused(
      r,
      'invitation_wrong_guest',
      /addressed to https:\/\/other\.example:1234; this portal is https:\/\/localhost:/,
      stored,
    );
    assert.equal((await hostCall(`invitations/${other.doc.invitationId}`)).status, 'pending');
  });

  test("an invitation expired by the host's clock (its database changed while it runs) is refused; the host lists it expired", async () => {
    const stored = await guestState();
    const soon = await invite();
    const db = new DatabaseSync(join(homes.host, 'meridian.db'), { timeout: 5_000 });
    try {
      const changed = db
        .prepare('UPDATE collaboration_invitations SET expires = ? WHERE id = ?')
        .run(Date.now() - 1_000, soon.doc.invitationId);
      assert.equal(changed.changes, 1);
    } finally {
      db.close();
    }
    const r = await accept(soon.text, soon.doc.host.fingerprint);
    await refused(r, 'invitation_expired', /This invitation expired on /, stored);
    assert.match((await lastReach()) ?? '', /^trusted, added collaboration-/, 'the run trusted, then forgot');
    assert.equal((await hostCall(`invitations/${soon.doc.invitationId}`)).status, 'expired');
  });

  test('an invitation the host invalidated is refused', async () => {
    const stored = await guestState();
    const gone = await invite();
    assert.equal((await hostCall(`invitations/${gone.doc.invitationId}/invalidate`)).success, true);
    const r = await accept(gone.text, gone.doc.host.fingerprint);
    await refused(r, 'invitation_invalidated', /The host invalidated this invitation/, stored);
    assert.equal((await hostCall(`invitations/${gone.doc.invitationId}`)).status, 'invalidated');
  });

  test('an invitation accepted once is refused the second time: single use', async () => {
    const before = await guestState();
    const once = await invite();
    const ok = await accept(once.text, once.doc.host.fingerprint);
    assert.equal(ok.success, true, JSON.stringify(ok));
    assert.equal(ok.collaborationId, collaborationId);
    const stored = await guestState();
    assert.deepEqual(stored.collaborations, [collaborationId]);
    assert.equal(stored.trust.length, before.trust.length + 1, "the host's CA is trusted now");
    assert.equal((await hostCall(`invitations/${once.doc.invitationId}`)).status, 'accepted');
    const again = await accept(once.text, once.doc.host.fingerprint);
    await refused(again, 'invitation_used', /accepted already/, stored);
  });
});
