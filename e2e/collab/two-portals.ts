/**
 * For the two-process collaboration tests: a host and a guest portal (`meridian start`), each
 * its own process with its own data directory and CA, on fixed loopback ports so that the guest
 * can be killed and come back at the same URL. Sets up a partnership the way administrators do
 * (invite → accept confirming the host's signed fingerprint → response exported → imported
 * confirming the guest's) with a group linked on each side, and answers helpers for items,
 * sync and its status over the real routes. The test's HTTPS client trusts the two portal CAs
 * and any CA the test adds (verification is never turned off).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, FormData, fetch } from 'undici';
import { freePort } from '../../bench/processes.ts';
import { type PortalProcess, startPortalProcess } from '../portal-process.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests read ArcGIS JSON answers of many shapes.
export type Json = any;

const PASSWORD = 'Collab-sync-passw0rd!';
/** Each portal's administrator, and partners reached over loopback (refused by default). */
const ENV = { MERIDIAN_ADMIN_PASSWORD: PASSWORD, MERIDIAN_OUTBOUND_ALLOW_LOOPBACK: 'true' };
const S = '/sharing/rest/portals/self';

export type Side = 'host' | 'guest';

export interface TwoPortals {
  dir: string;
  readonly host: PortalProcess;
  readonly guest: PortalProcess;
  /** The guest's data directory (its files and partial transfers are under files/). */
  guestHome: string;
  ids: { host: string; guest: string; collaboration: string; workspace: string };
  groups: { host: string; guest: string };
  /** POSTs a form (f=json and the side's admin token added) to a path of a portal; the JSON answer. */
  call(side: Side, path: string, params?: Record<string, string | number | boolean>): Promise<Json>;
  /** GETs a path of a portal with query parameters (f=json and the side's admin token added). */
  get(side: Side, path: string, params?: Record<string, string>): Promise<Json>;
  /** The same as multipart, with files. */
  upload(
    side: Side,
    path: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; data: string | Uint8Array }>,
  ): Promise<Json>;
  /** A collaboration resource (`collaborations/<id>/<resource>`) on either side. */
  collab(side: Side, resource: string, params?: Record<string, string | number | boolean>): Promise<Json>;
  /** A collaboration resource that answers a file (a signed invitation or response): its text. */
  file(side: Side, resource: string, params?: Record<string, string | number | boolean>): Promise<string>;
  /** Adds an item owned by the side's administrator (with a data file); answers its id. */
  addItem(
    side: Side,
    fields: Record<string, string>,
    file?: { name: string; data: Uint8Array },
  ): Promise<string>;
  share(side: Side, itemId: string): Promise<void>;
  /** Unshares an item from the side's linked group. */
  unshare(side: Side, itemId: string): Promise<void>;
  /** Deletes an item of the side's administrator. */
  deleteItem(side: Side, itemId: string): Promise<void>;
  /** updatePortalGroupLink of the side's own link (shareItemsAs, unsharedCopies, …); answers the workspace. */
  updateLink(side: Side, settings: Record<string, string | boolean>): Promise<Json>;
  /** The items in the side's linked group, sorted by title. */
  groupItems(side: Side): Promise<Json[]>;
  /** SHA-256 (hex) of an item's data as content/items/<id>/data serves it. */
  dataSha(side: Side, itemId: string): Promise<string>;
  /** Syncs the workspace on the guest and waits for the run; answers the run with its history. */
  syncNow(): Promise<Json>;
  /** syncStatus on the guest: every run, or one with its history. */
  syncStatus(syncId?: string): Promise<Json[]>;
  /** Trusts one more CA in the test's own client (a certificate the test made a portal serve). */
  clientTrusts(caPem: string): Promise<void>;
  /**
   * Stops the guest (SIGKILL with kill, else SIGTERM), runs `whileDown`, and starts it again on
   * its port and data directory.
   */
  restartGuest(opts?: { kill?: boolean; whileDown?: () => Promise<void> }): Promise<void>;
  /** Stops the host (SIGTERM) and starts it again on its port. */
  restartHost(opts?: { whileDown?: () => Promise<void> }): Promise<void>;
  close(): Promise<void>;
}

export const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

export async function startTwoPortals(prefix: string): Promise<TwoPortals> {
  const dir = mkdtempSync(join(tmpdir(), `meridian-${prefix}-`));
  const homes = { host: join(dir, 'host'), guest: join(dir, 'guest') };
  const ports = { host: await freePort(), guest: await freePort() };
  const p: Record<Side, PortalProcess> = Object.fromEntries(
    await Promise.all(
      (['host', 'guest'] as const).map(async (side) => [
        side,
        await startPortalProcess(homes[side], ENV, { port: ports[side] }),
      ]),
    ),
  );
  const cas = [p.host.caPem, p.guest.caPem];
  let dispatcher = new Agent({ connect: { ca: cas } });
  const tokens: Record<Side, string> = {
    host: await p.host.token(PASSWORD),
    guest: await p.guest.token(PASSWORD),
  };

  const answer = async (res: Awaited<ReturnType<typeof fetch>>, what: string): Promise<Json> => {
    const text = await res.text();
    assert.equal(res.status, 200, `${what}: HTTP ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const form = (side: Side, params: Record<string, string | number | boolean>) =>
    new URLSearchParams({
      f: 'json',
      token: tokens[side],
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])),
    });
  const post = (side: Side, path: string, params: Record<string, string | number | boolean> = {}) =>
    fetch(`${p[side].base}${path}`, { method: 'POST', body: form(side, params), dispatcher });
  const call = async (side: Side, path: string, params: Record<string, string | number | boolean> = {}) =>
    answer(await post(side, path, params), `${side} ${path}`);
  const text = async (side: Side, path: string, params: Record<string, string | number | boolean> = {}) => {
    const res = await post(side, path, params);
    const body = await res.text();
    assert.equal(res.status, 200, `${side} ${path}: HTTP ${res.status} ${body.slice(0, 300)}`);
    return body;
  };
  const get = async (side: Side, path: string, params: Record<string, string> = {}) =>
    answer(
      await fetch(
        `${p[side].base}${path}?${new URLSearchParams({ f: 'json', token: tokens[side], ...params })}`,
        {
          dispatcher,
        },
      ),
      `${side} ${path}`,
    );
  const upload: TwoPortals['upload'] = async (side, path, fields, files) => {
    const body = new FormData();
    for (const [k, v] of form(side, fields)) body.set(k, v);
    for (const [k, f] of Object.entries(files))
      body.set(k, new Blob([typeof f.data === 'string' ? f.data : new Uint8Array(f.data)]), f.name);
    return answer(
      await fetch(`${p[side].base}${path}`, { method: 'POST', body, dispatcher }),
      `${side} ${path}`,
    );
  };
  const ids = { host: '', guest: '', collaboration: '', workspace: '' };
  const groups = { host: '', guest: '' };
  const collab = (side: Side, resource: string, params: Record<string, string | number | boolean> = {}) =>
    call(side, `${S}/collaborations/${ids.collaboration}/${resource}`, params);
  const W = () => `workspaces/${ids.workspace}`;
  const file = (side: Side, resource: string, params: Record<string, string | number | boolean> = {}) =>
    text(side, `${S}/collaborations/${ids.collaboration}/${resource}`, params);

  const sites: TwoPortals = {
    dir,
    get host() {
      return p.host;
    },
    get guest() {
      return p.guest;
    },
    guestHome: homes.guest,
    ids,
    groups,
    call,
    get,
    upload,
    collab,
    file,
    async addItem(side, fields, file) {
      const r = await upload(
        side,
        '/sharing/rest/content/users/admin/addItem',
        fields,
        file ? { file: file } : {},
      );
      assert.ok(r.id, JSON.stringify(r));
      return r.id as string;
    },
    async share(side, itemId) {
      const r = await call(side, `/sharing/rest/content/items/${itemId}/share`, { groups: groups[side] });
      assert.ok(!r.error, JSON.stringify(r));
    },
    async unshare(side, itemId) {
      const r = await call(side, `/sharing/rest/content/items/${itemId}/unshare`, { groups: groups[side] });
      assert.ok(!r.error && !r.notUnsharedFrom?.length, JSON.stringify(r));
    },
    async deleteItem(side, itemId) {
      const r = await call(side, `/sharing/rest/content/users/admin/items/${itemId}/delete`);
      assert.equal(r.success, true, JSON.stringify(r));
    },
    async updateLink(side, settings) {
      const r = await collab(side, `${W()}/updatePortalGroupLink`, settings);
      assert.equal(r.success, true, JSON.stringify(r));
      return r.workspace;
    },
    async groupItems(side) {
      const r = await get(side, '/sharing/rest/search', { q: `group:${groups[side]}`, num: '100' });
      assert.ok(r.results, JSON.stringify(r));
      return (r.results as Json[]).sort((a, b) => String(a.title).localeCompare(String(b.title)));
    },
    async dataSha(side, itemId) {
      const res = await fetch(
        `${p[side].base}/sharing/rest/content/items/${itemId}/data?token=${tokens[side]}`,
        { dispatcher },
      );
      assert.equal(res.status, 200, `data of ${itemId} on the ${side}`);
      return sha256(new Uint8Array(await res.arrayBuffer()));
    },
    async syncNow() {
      const r = await collab('guest', `${W()}/sync`, { async: false });
      assert.equal(r.success, true, JSON.stringify(r));
      const [run] = await sites.syncStatus(r.key);
      assert.ok(run, `no run ${r.key}`);
      return run;
    },
    async syncStatus(syncId) {
      const r = await collab('guest', `${W()}/syncStatus`, syncId ? { syncId } : {});
      assert.ok(Array.isArray(r.status), JSON.stringify(r));
      return r.status;
    },
    async clientTrusts(caPem) {
      cas.push(caPem);
      const old = dispatcher;
      dispatcher = new Agent({ connect: { ca: cas } });
      await old.close();
    },
    async restartGuest(opts = {}) {
      if (opts.kill) p.guest.child.kill('SIGKILL');
      await p.guest.stop();
      await opts.whileDown?.();
      p.guest = await startPortalProcess(homes.guest, ENV, { port: ports.guest });
      tokens.guest = await p.guest.token(PASSWORD, dispatcher); // it may serve a certificate the test trusted since
    },
    async restartHost(opts = {}) {
      await p.host.stop();
      await opts.whileDown?.();
      p.host = await startPortalProcess(homes.host, ENV, { port: ports.host });
      tokens.host = await p.host.token(PASSWORD, dispatcher); // it may serve a certificate the test trusted since
    },
    async close() {
      await Promise.all([p.host?.stop(), p.guest?.stop()]);
      await dispatcher.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await partnership(sites);
  return sites;
}

/** The trust exchange and the group links, as the two administrators make them. */
async function partnership(s: TwoPortals): Promise<void> {
  const [hostSelf, guestSelf] = await Promise.all([s.call('host', `${S}`, {}), s.call('guest', `${S}`, {})]);
  s.ids.host = hostSelf.id;
  s.ids.guest = guestSelf.id;
  const group = async (side: Side, title: string) => {
    const g = await s.call(side, '/sharing/rest/community/createGroup', { title, access: 'org' });
    assert.ok(g.group?.id, JSON.stringify(g));
    return g.group.id as string;
  };
  s.groups.host = await group('host', 'Shared with partners');
  s.groups.guest = await group('guest', 'From partners');
  const created = await s.call('host', `${S}/createCollaboration`, {
    name: 'Catchments',
    workspaceName: 'Hydrology',
    portalGroupId: s.groups.host,
    hostContactEmailAddress: 'host@example.org',
  });
  s.ids.collaboration = created.collaboration?.id;
  assert.ok(s.ids.collaboration, JSON.stringify(created));
  s.ids.workspace = (await s.collab('host', ''))?.workspaces?.[0]?.id;
  assert.ok(s.ids.workspace);
  // inviteParticipant and exportInvitationResponse answer the signed files themselves.
  const invitation = await s.file('host', 'inviteParticipant', {
    guestPortalUrl: s.guest.base,
    collaborationWorkspacesParticipantConfigJSON: JSON.stringify([{ [s.ids.workspace]: 'sendAndReceive' }]),
  });
  const fingerprint = JSON.parse(invitation).host?.fingerprint;
  assert.ok(fingerprint, invitation.slice(0, 300));
  const accepted = await s.upload(
    'guest',
    `${S}/acceptCollaborationInvitation`,
    { guestContactEmailAddress: 'guest@example.org', trustPresentedCertificate: fingerprint },
    { invitationFile: { name: 'collaboration.invite', data: invitation } },
  );
  assert.equal(accepted.success, true, JSON.stringify(accepted));
  const response = await s.file('guest', 'exportInvitationResponse');
  const imported = await s.upload(
    'host',
    `${S}/collaborations/${s.ids.collaboration}/importInvitationResponse`,
    { trustPresentedCertificate: JSON.parse(response).guest.fingerprint },
    { invitationResponseFile: { name: 'response.invite-response', data: response } },
  );
  assert.equal(imported.success, true, JSON.stringify(imported));
  const linked = await s.collab('guest', `workspaces/${s.ids.workspace}/updatePortalGroupLink`, {
    portalGroupId: s.groups.guest,
  });
  assert.equal(linked.success, true, JSON.stringify(linked));
}
