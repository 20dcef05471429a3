import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../../identity/test-users.ts';
import { OOB_REDIRECT, PORTAL_CLIENT_ID } from './registry.ts';

/** Registered apps over real HTTPS, on both databases. */
for (const database of ['sqlite', 'postgres'] as const) {
  describe(`registered apps (${database})`, () => {
    let portal: TestPortal;
    let admin: string;
    let alice: string;
    let bobby: string;
    const oauth2 = '/sharing/rest/oauth2';

    const call = (path: string, token: string, fields: Record<string, string> = {}, method?: 'GET') =>
      portal.call(path, { ...fields, token }, method ? { method } : {});

    async function addItem(token: string, username: string, fields: Record<string, string>): Promise<string> {
      const r = await call(`/sharing/rest/content/users/${username}/addItem`, token, fields);
      assert.equal(r.success, true, JSON.stringify(r));
      return r.id as string;
    }
    const addApp = (token = alice, username = 'oauthalice', title = 'Field app') =>
      addItem(token, username, { title, type: 'Application', typeKeywords: 'Ready To Use' });
    const item = (id: string, token = alice) => call(`/sharing/rest/content/items/${id}`, token, {}, 'GET');

    async function register(itemId: string, token = alice, fields: Record<string, string> = {}) {
      return call(`${oauth2}/registerApp`, token, {
        itemId,
        appType: 'browser',
        redirect_uris: JSON.stringify(['https://app.example.com/callback']),
        httpReferrers: JSON.stringify(['https://app.example.com']),
        privileges: '[]',
        ...fields,
      });
    }

    before(async () => {
      portal = await startTestPortal({ database });
      await addUser(portal, 'oauthalice');
      await addUser(portal, 'oauthbobby');
      admin = await portal.token();
      alice = await portal.token('oauthalice', USER_PASSWORD);
      bobby = await portal.token('oauthbobby', USER_PASSWORD);
    });
    after(() => portal.close());

    test('the owner registers an Application item: client_id and client_secret once, the Registered App keyword', async () => {
      const itemId = await addApp();
      const r = await register(itemId);
      assert.equal(r.error, undefined, JSON.stringify(r));
      assert.equal(r.itemId, itemId);
      assert.match(r.client_id, /^[A-Za-z0-9]{16}$/);
      assert.match(r.client_secret, /^[0-9a-f]{64}$/);
      assert.equal(r.appType, 'browser');
      assert.deepEqual(r.redirect_uris, ['https://app.example.com/callback']);
      assert.deepEqual(r.httpReferrers, ['https://app.example.com']);
      assert.deepEqual(r.privileges, []);
      assert.equal(typeof r.registered, 'number');
      assert.equal(r.modified, r.registered);
      assert.deepEqual((await item(itemId)).typeKeywords, ['Ready To Use', 'Registered App']);

      // Shown once: no later answer carries it, and the database holds only its hash.
      const read = await call(`${oauth2}/apps/${r.client_id}`, alice, {}, 'GET');
      assert.equal(read.client_id, r.client_id);
      assert.equal(read.client_secret, undefined);
      assert.ok(!JSON.stringify(read).includes(r.client_secret));
      const info = await call(
        `/sharing/rest/content/users/oauthalice/items/${itemId}/registeredAppInfo`,
        alice,
      );
      assert.equal(info.client_id, r.client_id);
      assert.equal(info.client_secret, undefined);
      const row = await portal.kernel.db.kysely
        .selectFrom('oauth_apps')
        .selectAll()
        .where('client_id', '=', r.client_id)
        .executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(row).includes(r.client_secret));

      const apps = portal.modules.oauth.apps;
      assert.equal(await apps.verifySecret(r.client_id, r.client_secret), true);
      assert.equal(await apps.verifySecret(r.client_id, r.client_secret.replace(/.$/, 'x')), false);
      assert.equal(await apps.verifySecret(r.client_id, ''), false);
      assert.equal(await apps.verifySecret('nosuchclient0000', r.client_secret), false);
      const found = await apps.find(r.client_id);
      assert.equal(found?.owner, 'oauthalice');
      assert.equal(found?.title, 'Field app');
      assert.equal(found?.hasSecret, true);
    });

    test('an administrator may register and read a user’s app; the owner stays the item’s owner', async () => {
      const itemId = await addApp();
      const r = await register(itemId, admin);
      assert.equal(r.itemId, itemId, JSON.stringify(r));
      assert.equal((await portal.modules.oauth.apps.find(r.client_id))?.owner, 'oauthalice');
      assert.equal((await call(`${oauth2}/apps/${r.client_id}`, alice)).client_id, r.client_id);
      assert.equal((await call(`${oauth2}/apps/${r.client_id}`, admin)).client_id, r.client_id);
    });

    test('refusals: another user, a missing item, a non-application item, a second registration, a bad appType or privileges', async () => {
      const itemId = await addApp();
      // An item another user cannot see is "not found" to them, as content/items/<id> says.
      const invisible = await register(itemId, bobby);
      assert.equal(invisible.error?.messageCode, 'oauth.item_not_found', JSON.stringify(invisible));
      const shared = await call(`/sharing/rest/content/users/oauthalice/items/${itemId}/share`, alice, {
        org: 'true',
      });
      assert.equal(shared.error, undefined, JSON.stringify(shared));
      const notOwner = await register(itemId, bobby);
      assert.equal(notOwner.error?.code, 403, JSON.stringify(notOwner));
      assert.equal(notOwner.error?.messageCode, 'oauth.app_not_permitted');

      const missing = await register('0123456789abcdef0123456789abcdef');
      assert.equal(missing.error?.code, 400);
      assert.equal(missing.error?.messageCode, 'oauth.item_not_found');

      const webmap = await addItem(alice, 'oauthalice', { title: 'Map', type: 'Web Map', text: '{}' });
      const notApp = await register(webmap);
      assert.equal(notApp.error?.messageCode, 'oauth.item_not_application', JSON.stringify(notApp));
      assert.match(notApp.error.message, /Web Map/);

      const badType = await register(itemId, alice, { appType: 'apikey' });
      assert.equal(badType.error?.messageCode, 'oauth.app_type_invalid');
      const badPrivileges = await register(itemId, alice, { privileges: '["portal:user:createItem"]' });
      assert.equal(badPrivileges.error?.messageCode, 'oauth.privileges_unsupported');

      assert.ok((await register(itemId)).client_id);
      const twice = await register(itemId);
      assert.equal(twice.error?.code, 400, JSON.stringify(twice));
      assert.equal(twice.error?.messageCode, 'oauth.already_registered');
      // Refused registrations left no keyword on the other items.
      assert.deepEqual((await item(webmap)).typeKeywords, []);
    });

    test('bad redirect URIs are refused, each named with its rule; nothing is registered', async () => {
      const itemId = await addApp();
      for (const [uri, rule] of [
        ['http://app.example.com/cb', /http is allowed only for localhost/],
        ['https://app.example.com/cb#frag', /fragment/],
        ['https://user@app.example.com/cb', /user info/],
        ['https://*.example.com/cb', /wildcard/],
        ['myapp://callback', /only for native and multiple apps/],
        ['javascript:alert(1)', /not a private-use scheme|only for native/],
      ] as const) {
        const r = await register(itemId, alice, {
          redirect_uris: JSON.stringify(['https://ok.example.com/', uri]),
        });
        assert.equal(r.error?.messageCode, 'oauth.redirect_uri_invalid', uri);
        assert.ok(r.error.message.includes(`'${uri}'`), r.error.message);
        assert.match(r.error.message, rule);
      }
      const r = await register(itemId, alice, { redirect_uris: 'not json, nor a URI' });
      assert.equal(r.error?.messageCode, 'oauth.redirect_uri_invalid');
      assert.deepEqual((await item(itemId)).typeKeywords, ['Ready To Use']);
      // A native app may register a private-use scheme and the out-of-band URI.
      const native = await register(itemId, alice, {
        appType: 'native',
        redirect_uris: JSON.stringify(['com.example.field:/oauth', OOB_REDIRECT, 'http://127.0.0.1:8400/cb']),
      });
      assert.deepEqual(native.redirect_uris, [
        'com.example.field:/oauth',
        OOB_REDIRECT,
        'http://127.0.0.1:8400/cb',
      ]);
    });

    test('oauth2/apps/<id>: the owner and administrators only; an unknown id is 400', async () => {
      const r = await register(await addApp());
      const other = await call(`${oauth2}/apps/${r.client_id}`, bobby);
      assert.equal(other.error?.code, 403, JSON.stringify(other));
      const unknown = await call(`${oauth2}/apps/AAAAAAAAAAAAAAAA`, alice);
      assert.equal(unknown.error?.code, 400);
      assert.equal(unknown.error?.messageCode, 'oauth.app_not_found');
      const anonymous = await portal.call(`${oauth2}/apps/${r.client_id}`, {});
      assert.equal(anonymous.error?.code, 499);
      for (const op of ['update', 'resetSecret', 'unregister']) {
        const refused = await call(`${oauth2}/apps/${r.client_id}/${op}`, bobby);
        assert.equal(refused.error?.code, 403, op);
      }
      assert.equal(await portal.modules.oauth.apps.verifySecret(r.client_id, r.client_secret), true);
      const info = await call(
        `/sharing/rest/content/users/oauthbobby/items/${r.itemId}/registeredAppInfo`,
        bobby,
      );
      assert.equal(info.error?.code, 400, JSON.stringify(info));
    });

    test('update replaces the redirect URIs, referrers and type (checked against the new type); never the secret', async () => {
      const r = await register(await addApp());
      const updated = await call(`${oauth2}/apps/${r.client_id}/update`, alice, {
        appType: 'multiple',
        redirect_uris: JSON.stringify(['https://app.example.com/v2/callback', 'com.example.app:/cb']),
        httpReferrers: '[]',
      });
      assert.equal(updated.error, undefined, JSON.stringify(updated));
      assert.equal(updated.appType, 'multiple');
      assert.deepEqual(updated.redirect_uris, ['https://app.example.com/v2/callback', 'com.example.app:/cb']);
      assert.deepEqual(updated.httpReferrers, []);
      assert.equal(updated.client_secret, undefined);
      assert.ok(updated.modified >= r.modified);
      // Back to browser with a private-use scheme still registered: refused, naming it.
      const back = await call(`${oauth2}/apps/${r.client_id}/update`, alice, { appType: 'browser' });
      assert.equal(back.error?.messageCode, 'oauth.redirect_uri_invalid');
      assert.match(back.error.message, /com\.example\.app:\/cb/);
      const bad = await call(`${oauth2}/apps/${r.client_id}/update`, admin, {
        redirect_uris: '["https://portal.example.com@evil.com/cb"]',
      });
      assert.equal(bad.error?.messageCode, 'oauth.redirect_uri_invalid');
      const unchanged = await portal.modules.oauth.apps.find(r.client_id);
      assert.deepEqual(unchanged?.redirectUris, [
        'https://app.example.com/v2/callback',
        'com.example.app:/cb',
      ]);
    });

    test('resetSecret: a new secret shown once, the old one stops verifying', async () => {
      const r = await register(await addApp());
      const apps = portal.modules.oauth.apps;
      const reset = await call(`${oauth2}/apps/${r.client_id}/resetSecret`, alice);
      assert.equal(reset.client_id, r.client_id, JSON.stringify(reset));
      assert.match(reset.client_secret, /^[0-9a-f]{64}$/);
      assert.notEqual(reset.client_secret, r.client_secret);
      assert.equal(await apps.verifySecret(r.client_id, r.client_secret), false);
      assert.equal(await apps.verifySecret(r.client_id, reset.client_secret), true);
      assert.equal((await call(`${oauth2}/apps/${r.client_id}`, alice)).client_secret, undefined);
    });

    test('unregister removes the app and the keyword; the item stays', async () => {
      const itemId = await addApp();
      const r = await register(itemId);
      const gone = await call(`${oauth2}/apps/${r.client_id}/unregister`, alice);
      assert.deepEqual(gone, { success: true, itemId });
      assert.deepEqual((await item(itemId)).typeKeywords, ['Ready To Use']);
      assert.equal((await call(`${oauth2}/apps/${r.client_id}`, alice)).error?.code, 400);
      assert.equal(await portal.modules.oauth.apps.verifySecret(r.client_id, r.client_secret), false);
      // It may be registered again, with a new client_id.
      const again = await register(itemId);
      assert.notEqual(again.client_id, r.client_id);
    });

    test('deleting the item (alone, or with its folder) unregisters its app', async () => {
      const itemId = await addApp();
      const r = await register(itemId);
      const deleted = await call(`/sharing/rest/content/users/oauthalice/items/${itemId}/delete`, alice);
      assert.equal(deleted.success, true, JSON.stringify(deleted));
      assert.equal(await portal.modules.oauth.apps.find(r.client_id), undefined);
      assert.equal(await portal.modules.oauth.apps.verifySecret(r.client_id, r.client_secret), false);

      const folder = await call('/sharing/rest/content/users/oauthalice/createFolder', alice, {
        title: 'Apps',
      });
      const inFolder = await call(
        `/sharing/rest/content/users/oauthalice/${folder.folder.id}/addItem`,
        alice,
        {
          title: 'Folder app',
          type: 'Application',
        },
      );
      const f = await register(inFolder.id);
      await call(`/sharing/rest/content/users/oauthalice/${folder.folder.id}/delete`, alice);
      assert.equal(await portal.modules.oauth.apps.find(f.client_id), undefined);
    });

    test('arcgisonline exists from the first start with the portal callback; getAppInfo and updateAppInfo', async () => {
      const callback = `${portal.url}/home/oauth-callback`;
      const builtIn = await portal.modules.oauth.apps.find(PORTAL_CLIENT_ID);
      assert.equal(builtIn?.itemId, null);
      assert.equal(builtIn?.appType, 'browser');
      assert.equal(builtIn?.hasSecret, false);
      assert.deepEqual(builtIn?.redirectUris, [callback]);
      assert.equal(await portal.modules.oauth.apps.verifySecret(PORTAL_CLIENT_ID, ''), false);

      const admins = '/portaladmin/security/oauth';
      assert.deepEqual(await call(`${admins}/getAppInfo`, admin, { appID: PORTAL_CLIENT_ID }, 'GET'), {
        appId: PORTAL_CLIENT_ID,
        redirectURIs: [callback],
      });
      const refused = await call(`${admins}/getAppInfo`, alice, { appID: PORTAL_CLIENT_ID });
      assert.equal(refused.status, 'error');
      assert.equal(refused.code, 403);

      const server = 'https://gis.example.com/server/rest/services/oauth-callback';
      const ok = await call(`${admins}/updateAppInfo`, admin, {
        appInfo: JSON.stringify({ appId: PORTAL_CLIENT_ID, redirectURIs: [callback, server] }),
      });
      assert.deepEqual(ok, { status: 'success' });
      assert.deepEqual(
        (await call(`${admins}/getAppInfo`, admin, { appID: PORTAL_CLIENT_ID })).redirectURIs,
        [callback, server],
      );
      // The callback is derived, not stored.
      const row = await portal.kernel.db.kysely
        .selectFrom('oauth_apps')
        .select('redirect_uris')
        .where('client_id', '=', PORTAL_CLIENT_ID)
        .executeTakeFirstOrThrow();
      assert.deepEqual(JSON.parse(row.redirect_uris), [server]);

      const bad = await call(`${admins}/updateAppInfo`, admin, {
        appInfo: JSON.stringify({ appId: PORTAL_CLIENT_ID, redirectURIs: ['http://gis.example.com/cb'] }),
      });
      assert.equal(bad.status, 'error');
      assert.equal(bad.errorCode, 'oauth.redirect_uri_invalid');
      assert.match(bad.messages[0], /http:\/\/gis\.example\.com\/cb/);
      const malformed = await call(`${admins}/updateAppInfo`, admin, { appInfo: '{"appId":1}' });
      assert.equal(malformed.errorCode, 'oauth.app_info_invalid');
      const unknown = await call(`${admins}/getAppInfo`, admin, { appID: 'nosuchapp' });
      assert.equal(unknown.errorCode, 'oauth.app_not_found');

      // Emptying the stored list keeps the portal's callback.
      await call(`${admins}/updateAppInfo`, admin, {
        appInfo: JSON.stringify({ appId: PORTAL_CLIENT_ID, redirectURIs: [] }),
      });
      assert.deepEqual((await portal.modules.oauth.apps.find(PORTAL_CLIENT_ID))?.redirectUris, [callback]);

      // The built-in client is not changed through the item-app operations, and only administrators read it.
      const viaApps = await call(`${oauth2}/apps/${PORTAL_CLIENT_ID}/unregister`, admin);
      assert.equal(viaApps.error?.messageCode, 'oauth.builtin_app');
      assert.equal((await call(`${oauth2}/apps/${PORTAL_CLIENT_ID}`, alice)).error?.code, 403);
      assert.equal((await call(`${oauth2}/apps/${PORTAL_CLIENT_ID}`, admin)).itemId, null);
    });
  });
}
