/**
 * For the collaboration tests: two real portals in this process, each with its own data
 * directory and CA (neither trusts the other at first), a group on the host, a collaboration,
 * invitations as files, and multipart uploads of signed files.
 */
import assert from 'node:assert/strict';
import { FormData } from 'undici';
import { startTestPortal, type TestPortal, type TestPortalOptions } from '../../test/portal.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary ArcGIS JSON answers.
export type Json = Record<string, any>;

export interface Partners {
  host: TestPortal;
  guest: TestPortal;
  hostToken: string;
  guestToken: string;
  collaborationId: string;
  workspaceId: string;
  close(): Promise<void>;
}

export const S = '/sharing/rest/portals/self';

export async function startPartners(opts: TestPortalOptions = {}): Promise<Partners> {
  const [host, guest] = await Promise.all([startTestPortal(opts), startTestPortal(opts)]);
  const [hostToken, guestToken] = await Promise.all([host.token(), guest.token()]);
  const g = await host.call('/sharing/rest/community/createGroup', {
    token: hostToken,
    title: 'Shared',
    access: 'org',
  });
  const created = await host.call(`${S}/createCollaboration`, {
    token: hostToken,
    name: 'Rivers',
    workspaceName: 'Hydrology',
    portalGroupId: g.group.id,
    hostContactEmailAddress: 'host@example.org',
  });
  const collaborationId = created.collaboration?.id;
  assert.ok(collaborationId, JSON.stringify(created));
  const c = await host.call(`${S}/collaborations/${collaborationId}`, { token: hostToken });
  return {
    host,
    guest,
    hostToken,
    guestToken,
    collaborationId,
    workspaceId: c.workspaces[0].id,
    async close() {
      await Promise.all([host.close(), guest.close()]);
    },
  };
}

/** inviteParticipant: the file's text, its file name and the parsed document. */
export async function invite(
  p: Partners,
  fields: Record<string, string | number> = {},
): Promise<{ text: string; fileName: string; doc: Json }> {
  const body = new URLSearchParams({
    f: 'json',
    token: p.hostToken,
    guestPortalUrl: p.guest.url,
    collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [p.workspaceId]: 'sendAndReceive' }]),
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
  });
  const res = await p.host.fetch(`${S}/collaborations/${p.collaborationId}/inviteParticipant`, {
    method: 'POST',
    body,
  });
  const text = await res.text();
  const disposition = res.headers.get('content-disposition') ?? '';
  const doc = JSON.parse(text) as Json;
  assert.ok(!doc.error, text);
  return { text, fileName: /filename="([^"]+)"/.exec(disposition)?.[1] ?? '', doc };
}

/** POSTs a multipart form with one file part to a portal; answers the JSON. */
export async function postFile(
  portal: TestPortal,
  path: string,
  fileField: string,
  fileText: string,
  fields: Record<string, string>,
): Promise<Json> {
  const form = new FormData();
  form.set('f', 'json');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set(fileField, new Blob([fileText], { type: 'application/json' }), 'file.invite');
  const res = await portal.fetch(path, { method: 'POST', body: form });
  return (await res.json()) as Json;
}

/** acceptCollaborationInvitation (or validate…) on the guest with the invitation file. */
export function accept(p: Partners, text: string, fields: Record<string, string> = {}, validate = false) {
  return postFile(
    p.guest,
    `${S}/${validate ? 'validate' : 'accept'}CollaborationInvitation`,
    'invitationFile',
    text,
    { token: p.guestToken, guestContactEmailAddress: 'guest@example.org', ...fields },
  );
}
