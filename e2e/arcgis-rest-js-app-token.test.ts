/**
 * A server app signs in as itself with the real client: @esri/arcgis-rest-request's
 * ApplicationCredentialsManager (grant_type=client_credentials, unmodified). The app token reads
 * what is shared publicly and nothing of a user's: not a private item, not community/self, and
 * no write; it stops working when the app's secret is replaced or the app is unregistered.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { getItem, searchItems } from '@esri/arcgis-rest-portal';
import { ApplicationCredentialsManager, request } from '@esri/arcgis-rest-request';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';

describe('client_credentials with ApplicationCredentialsManager', () => {
  let portal: TestPortal;
  let rest: string;
  let admin: string;
  let app: { client_id: string; client_secret: string; itemId: string };
  let publicItem: string;
  let privateItem: string;
  const previous = getGlobalDispatcher();

  before(async () => {
    portal = await startTestPortal();
    setGlobalDispatcher(new Agent({ connect: { ca: portal.caCertPem } }));
    rest = `${portal.url}/sharing/rest`;
    admin = await portal.token();
    const add = async (title: string, type: string) => {
      const r = await portal.call('/sharing/rest/content/users/admin/addItem', {
        token: admin,
        title,
        type,
        text: '{}',
      });
      assert.equal(r.success, true, JSON.stringify(r));
      return r.id as string;
    };
    const appItem = await add('A server app', 'Application');
    publicItem = await add('Shared with everyone', 'Web Map');
    privateItem = await add("The admin's own", 'Web Map');
    const shared = await portal.call(`/sharing/rest/content/users/admin/items/${publicItem}/share`, {
      token: admin,
      everyone: true,
    });
    assert.equal(shared.notSharedWith?.length ?? 0, 0, JSON.stringify(shared));
    app = await portal.call('/sharing/rest/oauth2/registerApp', {
      token: admin,
      itemId: appItem,
      appType: 'server',
      redirect_uris: '[]',
    });
    assert.ok(app.client_secret, JSON.stringify(app));
  });
  after(async () => {
    setGlobalDispatcher(previous);
    await portal?.close();
  });

  const manager = () =>
    new ApplicationCredentialsManager({
      clientId: app.client_id,
      clientSecret: app.client_secret,
      portal: rest,
    });

  test('the app token reads public content, and no user content', async () => {
    const authentication = manager();
    const token = await authentication.getToken(rest);
    assert.ok(token.startsWith('v1.'), 'an app token was issued');
    const item = await getItem(publicItem, { authentication, portal: rest });
    assert.equal(item.title, 'Shared with everyone');
    const found = await searchItems({ q: 'owner:admin', authentication, portal: rest });
    assert.deepEqual(
      found.results.map((r) => r.id),
      [publicItem],
      'search shows only what is shared publicly',
    );
    await assert.rejects(
      getItem(privateItem, { authentication, portal: rest }),
      /not exist|inaccessible|permission/i,
    );
    await assert.rejects(
      request(`${rest}/community/self`, { authentication }),
      /acts as the app, not as a user/,
    );
    await assert.rejects(
      request(`${rest}/content/users/admin/addItem`, {
        authentication,
        params: { title: 'x', type: 'Web Map' },
      }),
      /acts as the app, not as a user/,
    );
  });

  test('a wrong secret is refused; the token stops working when the secret is replaced', async () => {
    await assert.rejects(
      new ApplicationCredentialsManager({
        clientId: app.client_id,
        clientSecret: 'f'.repeat(64),
        portal: rest,
      }).getToken(rest),
      /client could not be authenticated/i,
    );
    const token = await manager().getToken(rest);
    const read = (t: string) =>
      portal.call(`/sharing/rest/content/items/${publicItem}`, { token: t }, { method: 'GET' });
    assert.equal((await read(token)).id, publicItem);
    const reset = await portal.call(`/sharing/rest/oauth2/apps/${app.client_id}/resetSecret`, {
      token: admin,
    });
    assert.ok(reset.client_secret && reset.client_secret !== app.client_secret);
    assert.equal((await read(token)).error?.code, 498, 'the old app token is revoked');
    await assert.rejects(
      manager().getToken(rest),
      /client could not be authenticated/i,
      'the old secret is refused',
    );
    app.client_secret = reset.client_secret;
    assert.equal((await read(await manager().getToken(rest))).id, publicItem);
  });

  test('unregistering the app revokes its tokens', async () => {
    const token = await manager().getToken(rest);
    const gone = await portal.call(`/sharing/rest/oauth2/apps/${app.client_id}/unregister`, { token: admin });
    assert.equal(gone.success, true, JSON.stringify(gone));
    const r = await portal.call(`/sharing/rest/content/items/${publicItem}`, { token }, { method: 'GET' });
    assert.equal(r.error?.code, 498);
  });
});
