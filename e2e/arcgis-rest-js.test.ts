/**
 * The real ArcGIS client, unmodified, against a running portal over HTTPS: @esri/arcgis-rest-request
 * and @esri/arcgis-rest-portal v4 (4.10.x). The only accommodation is the trust of the portal's
 * own CA, installed in Node's global fetch dispatcher as an administrator would with
 * NODE_EXTRA_CA_CERTS.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addGroupUsers,
  createGroup,
  createItem,
  getItem,
  getSelf,
  getUser,
  removeItem,
  searchItems,
  shareItemWithGroup,
} from '@esri/arcgis-rest-portal';
import { ArcGISIdentityManager, request } from '@esri/arcgis-rest-request';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';

const ALICE_PASSWORD = 'Alice-passw0rd';

describe('@esri/arcgis-rest-js v4 against Meridian', () => {
  let portal: TestPortal;
  let rest: string;
  let admin: ArcGISIdentityManager;
  const previous = getGlobalDispatcher();

  before(async () => {
    portal = await startTestPortal();
    setGlobalDispatcher(new Agent({ connect: { ca: portal.caCertPem } }));
    rest = `${portal.url}/sharing/rest`;
    admin = await ArcGISIdentityManager.signIn({ username: 'admin', password: ADMIN_PASSWORD, portal: rest });
    // /portaladmin is outside the Sharing API, so the identity manager does not sign it: the
    // token goes as a parameter, as ArcGIS administrators' scripts do.
    await request(`${portal.url}/portaladmin/security/users/createUser`, {
      params: {
        token: admin.token,
        username: 'alice.liddell',
        password: ALICE_PASSWORD,
        firstname: 'Alice',
        lastname: 'Liddell',
        email: 'alice@example.org',
        role: 'org_user',
      },
    });
  });

  after(async () => {
    setGlobalDispatcher(previous);
    await portal.close();
  });

  test('signIn with username and password gives a token that getSelf accepts', async () => {
    assert.ok(admin.token.length > 20);
    assert.ok(admin.tokenExpires.getTime() > Date.now());
    const self = await getSelf({ authentication: admin });
    assert.equal(self.isPortal, true);
    const user = await getUser({ username: 'admin', authentication: admin });
    assert.equal(user.role, 'org_admin');
  });

  test('createItem, searchItems with paging, removeItem', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) {
      const r = await createItem({
        item: {
          title: `Paging river ${i}`,
          type: 'Web Map',
          tags: ['paging', 'rivers'],
          snippet: 'paging test',
        },
        authentication: admin,
      });
      assert.equal(r.success, true);
      ids.push(r.id);
    }
    const seen = new Set<string>();
    let start = 1;
    let pages = 0;
    while (start !== -1) {
      const page = await searchItems({
        q: 'tags:paging',
        num: 10,
        start,
        sortField: 'title',
        authentication: admin,
      });
      assert.equal(page.total, 23);
      for (const item of page.results) seen.add(item.id);
      start = page.nextStart;
      pages++;
      assert.ok(pages < 10);
    }
    assert.equal(pages, 3);
    assert.deepEqual([...seen].sort(), [...ids].sort());
    for (const id of ids.slice(0, 3))
      assert.equal((await removeItem({ id, authentication: admin })).success, true);
    const after = await searchItems({ q: 'tags:paging', authentication: admin });
    assert.equal(after.total, 20);
  });

  test('groups and sharing as the client does them, with access checks as a second user', async () => {
    const item = await createItem({
      item: { title: 'Shared flood map', type: 'Web Map', tags: ['flood'] },
      authentication: admin,
    });
    const alice = await ArcGISIdentityManager.signIn({
      username: 'alice.liddell',
      password: ALICE_PASSWORD,
      portal: rest,
    });

    // Private: alice cannot see it, and the error is the one for a missing item.
    const hidden = await getItem(item.id, { authentication: alice }).catch(
      (e: { code: number; message: string }) => e,
    );
    const missing = await getItem('0123456789abcdef0123456789abcdef', { authentication: alice }).catch(
      (e: { code: number; message: string }) => e,
    );
    // The ArcGIS code travels in response.error.code; the client's err.code is the messageCode.
    assert.equal((hidden as unknown as { response: { error: { code: number } } }).response.error.code, 400);
    assert.equal((hidden as { message: string }).message, (missing as { message: string }).message);
    assert.equal((await searchItems({ q: 'flood', authentication: alice })).total, 0);

    const { group } = await createGroup({
      group: { title: 'Flood response', access: 'private', tags: ['flood'] },
      authentication: admin,
    });
    const added = await addGroupUsers({ id: group.id, users: ['alice.liddell'], authentication: admin });
    assert.deepEqual(added.notAdded ?? [], []);

    const shared = await shareItemWithGroup({ id: item.id, groupId: group.id, authentication: admin });
    assert.deepEqual(shared.notSharedWith, []);

    const seen = await getItem(item.id, { authentication: alice });
    assert.equal(seen.title, 'Shared flood map');
    assert.equal(seen.access, 'shared');
    const found = await searchItems({ q: `group:${group.id}`, authentication: alice });
    assert.deepEqual(
      found.results.map((r) => r.id),
      [item.id],
    );

    // Alice cannot delete what she does not own.
    await assert.rejects(removeItem({ id: item.id, owner: 'admin', authentication: alice }));
    assert.equal((await getItem(item.id, { authentication: admin })).id, item.id);
  });

  test('a token that became invalid is refreshed by the client on the 498-in-a-200 answer', async () => {
    const alice = await ArcGISIdentityManager.signIn({
      username: 'alice.liddell',
      password: ALICE_PASSWORD,
      portal: rest,
    });
    const before = alice.token;
    assert.equal(
      (await getUser({ username: 'alice.liddell', authentication: alice })).username,
      'alice.liddell',
    );
    // Disabling and re-enabling the account revokes every token alice holds.
    await request(`${portal.url}/portaladmin/security/users/alice.liddell/disable`, {
      params: { token: admin.token },
    });
    await request(`${portal.url}/portaladmin/security/users/alice.liddell/enable`, {
      params: { token: admin.token },
    });
    const raw = await portal.call('/sharing/rest/community/self', { token: before }, { method: 'GET' });
    assert.equal(raw.error?.code, 498);
    const again = await getUser({ username: 'alice.liddell', authentication: alice });
    assert.equal(again.username, 'alice.liddell');
    assert.notEqual(alice.token, before);
  });
});
