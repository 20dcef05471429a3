/**
 * For the sync tests: two portals with a completed trust exchange (both fingerprints
 * confirmed), a group linked to the workspace on each side, and helpers to add, share and read
 * items over the real routes.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FormData } from 'undici';
import type { TestPortal, TestPortalOptions } from '../../test/portal.ts';
import { accept, invite, type Json, type Partners, postFile, S, startPartners } from './test-partners.ts';

export interface SyncPartners extends Partners {
  hostId: string;
  guestId: string;
  hostGroup: string;
  guestGroup: string;
  path(resource: string): string;
}

export async function startSyncPartners(opts: TestPortalOptions = {}): Promise<SyncPartners> {
  const p = await startPartners(opts);
  const [hostId, guestId] = await Promise.all([
    p.host.modules.portal.orgId(),
    p.guest.modules.portal.orgId(),
  ]);
  const path = (resource: string) => `${S}/collaborations/${p.collaborationId}/${resource}`;
  const { text, doc } = await invite(p);
  const ok = await accept(p, text, { trustPresentedCertificate: doc.host.fingerprint });
  assert.equal(ok.success, true, JSON.stringify(ok));
  const res = await p.guest.fetch(path('exportInvitationResponse'), {
    method: 'POST',
    body: new URLSearchParams({ f: 'json', token: p.guestToken }),
  });
  const responseText = await res.text();
  const imported = await postFile(
    p.host,
    path('importInvitationResponse'),
    'invitationResponseFile',
    responseText,
    {
      token: p.hostToken,
      trustPresentedCertificate: JSON.parse(responseText).guest.fingerprint,
    },
  );
  assert.equal(imported.success, true, JSON.stringify(imported));
  const c = await p.host.call(path(''), { token: p.hostToken });
  const hostGroup = c.workspaces[0].portalGroupId as string;
  const g = await p.guest.call('/sharing/rest/community/createGroup', {
    token: p.guestToken,
    title: 'Received',
    access: 'org',
  });
  const linked = await p.guest.call(path(`workspaces/${p.workspaceId}/updatePortalGroupLink`), {
    token: p.guestToken,
    portalGroupId: g.group.id,
  });
  assert.equal(linked.success, true, JSON.stringify(linked));
  return { ...p, hostId, guestId, hostGroup, guestGroup: g.group.id, path };
}

/** Adds an item owned by the portal's administrator: a file (bytes) or text; answers its id. */
export async function addItem(
  portal: TestPortal,
  token: string,
  fields: Record<string, string>,
  file?: { name: string; bytes: Buffer },
): Promise<string> {
  const form = new FormData();
  form.set('f', 'json');
  form.set('token', token);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set('file', new Blob([file.bytes]), file.name);
  const res = await portal.fetch('/sharing/rest/content/users/admin/addItem', { method: 'POST', body: form });
  const r = (await res.json()) as Json;
  assert.ok(r.id, JSON.stringify(r));
  return r.id;
}

export const share = (portal: TestPortal, token: string, itemId: string, groupId: string) =>
  portal.call(`/sharing/rest/content/items/${itemId}/share`, { token, groups: groupId });

/** The items shared with a group (id, title, type, typeKeywords, url), sorted by title. */
export async function groupItems(portal: TestPortal, token: string, groupId: string): Promise<Json[]> {
  const r = await portal.call(
    '/sharing/rest/search',
    { token, q: `group:${groupId}`, num: 100 },
    { method: 'GET' },
  );
  assert.ok(r.results, JSON.stringify(r));
  return (r.results as Json[]).sort((a, b) => String(a.title).localeCompare(String(b.title)));
}

/** SHA-256 of an item's data, as content/items/<id>/data serves it. */
export async function dataSha(portal: TestPortal, token: string, itemId: string): Promise<string> {
  const res = await portal.fetch(`/sharing/rest/content/items/${itemId}/data?token=${token}`);
  return createHash('sha256')
    .update(Buffer.from(await res.arrayBuffer()))
    .digest('hex');
}

export const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Syncs the workspace on the guest and waits for the run; answers the run with its history. */
export async function syncNow(p: SyncPartners): Promise<Json> {
  const r = await p.guest.call(p.path(`workspaces/${p.workspaceId}/sync`), {
    token: p.guestToken,
    async: false,
  });
  assert.equal(r.success, true, JSON.stringify(r));
  const s = await p.guest.call(p.path(`workspaces/${p.workspaceId}/syncStatus`), {
    token: p.guestToken,
    syncId: r.key,
  });
  assert.equal(s.status.length, 1, JSON.stringify(s));
  return s.status[0];
}
