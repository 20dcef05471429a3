/**
 * The sync bench's two portals: each `meridian start` as its own process (own data directory
 * and CA, SQLite, HTTPS on loopback, outbound.allowLoopback so that they reach each other),
 * made partners through the real API exactly as administrators would: the host creates a
 * collaboration whose workspace is linked to its group and invites the guest (the .invite
 * file); the guest accepts it confirming the host CA's fingerprint the signed file carries and
 * exports its response; the host imports the response confirming the guest's fingerprint; the
 * guest links a group of its own to the workspace.
 */
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { fetch } from 'undici';
import { type PortalProcess, startPortalProcess } from '../e2e/portal-process.ts';
import { expectCase } from './case-failed.ts';
import { type Json, type PortalApi, portalApi } from './sync-api.ts';

const PASSWORD = 'Bench-sync-admin-passw0rd!';
const SELF = '/sharing/rest/portals/self';

export interface SyncPartners {
  host: PortalApi;
  guest: PortalApi;
  collaborationId: string;
  workspaceId: string;
  hostGroup: string;
  guestGroup: string;
  /** The portals' data directories. */
  homes: { host: string; guest: string };
  /** A collaboration resource: portals/self/collaborations/<id>/<resource>. */
  path(resource: string): string;
  /** The workspace's resource on the guest: …/workspaces/<id>/<resource>. */
  workspacePath(resource: string): string;
  stop(): Promise<void>;
}

/** A token valid for 12 hours (the full bench runs for minutes). */
async function adminToken(p: PortalProcess): Promise<string> {
  const res = await fetch(`${p.base}/sharing/rest/generateToken`, {
    method: 'POST',
    dispatcher: p.dispatcher,
    body: new URLSearchParams({
      username: 'admin',
      password: PASSWORD,
      client: 'requestip',
      expiration: '720',
      f: 'json',
    }),
  });
  const answer = (await res.json()) as Json;
  expectCase(typeof answer.token === 'string', 'generateToken', () => JSON.stringify(answer));
  return answer.token as string;
}

async function createGroup(portal: PortalApi, title: string): Promise<string> {
  const r = await portal.post('/sharing/rest/community/createGroup', { title, access: 'org' });
  return r.group.id as string;
}

/** SHA-256 fingerprints compared as hex digits ("AB:CD…" and "abcd…" are the same). */
const hex = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

export async function startSyncPartners(dir: string): Promise<SyncPartners> {
  const env = { MERIDIAN_ADMIN_PASSWORD: PASSWORD, MERIDIAN_OUTBOUND_ALLOW_LOOPBACK: 'true' };
  const homes = { host: join(dir, 'host'), guest: join(dir, 'guest') };
  const started = await Promise.allSettled([
    startPortalProcess(homes.host, env),
    startPortalProcess(homes.guest, env),
  ]);
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const stop = async () => {
    await Promise.all(running.map((p) => p.stop()));
  };
  try {
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const [hostProcess, guestProcess] = running as [PortalProcess, PortalProcess];
    const host = portalApi('host', hostProcess, await adminToken(hostProcess));
    const guest = portalApi('guest', guestProcess, await adminToken(guestProcess));
    return { ...(await partner(host, guest)), host, guest, homes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function partner(host: PortalApi, guest: PortalApi) {
  const hostGroup = await createGroup(host, 'Gauges (shared)');
  const created = await host.post(`${SELF}/createCollaboration`, {
    name: 'Sync bench',
    workspaceName: 'Gauges',
    portalGroupId: hostGroup,
    hostContactEmailAddress: 'host@example.org',
  });
  const collaborationId = created.collaboration.id as string;
  const path = (resource: string) => `${SELF}/collaborations/${collaborationId}/${resource}`;
  const workspaceId = (await host.get(path(''))).workspaces[0].id as string;

  const invitationText = await host.postText(path('inviteParticipant'), {
    guestPortalUrl: guest.base,
    collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [workspaceId]: 'sendAndReceive' }]),
  });
  const invitation = JSON.parse(invitationText) as Json;
  const hostCa = new X509Certificate(host.process.caPem).fingerprint256;
  expectCase(
    hex(invitation.host.fingerprint) === hex(hostCa),
    'invitation',
    () => `it carries fingerprint ${invitation.host.fingerprint}, the host CA's is ${hostCa}`,
  );
  const accepted = await guest.upload(
    `${SELF}/acceptCollaborationInvitation`,
    { guestContactEmailAddress: 'guest@example.org', trustPresentedCertificate: invitation.host.fingerprint },
    [
      {
        field: 'invitationFile',
        name: 'collaboration.invite',
        bytes: invitationText,
        type: 'application/json',
      },
    ],
  );
  expectCase(accepted.success === true, 'acceptCollaborationInvitation', () => JSON.stringify(accepted));

  const responseText = await guest.postText(path('exportInvitationResponse'));
  const response = JSON.parse(responseText) as Json;
  const guestCa = new X509Certificate(guest.process.caPem).fingerprint256;
  expectCase(
    hex(response.guest.fingerprint) === hex(guestCa),
    'invitation response',
    () => `it carries fingerprint ${response.guest.fingerprint}, the guest CA's is ${guestCa}`,
  );
  const imported = await host.upload(
    path('importInvitationResponse'),
    { trustPresentedCertificate: response.guest.fingerprint },
    [
      {
        field: 'invitationResponseFile',
        name: 'collaboration.invite-response',
        bytes: responseText,
        type: 'application/json',
      },
    ],
  );
  expectCase(imported.success === true, 'importInvitationResponse', () => JSON.stringify(imported));

  const guestGroup = await createGroup(guest, 'Gauges (received)');
  const workspacePath = (resource: string) => path(`workspaces/${workspaceId}/${resource}`);
  const linked = await guest.post(workspacePath('updatePortalGroupLink'), { portalGroupId: guestGroup });
  expectCase(linked.success === true, 'updatePortalGroupLink', () => JSON.stringify(linked));
  return { collaborationId, workspaceId, hostGroup, guestGroup, path, workspacePath };
}
