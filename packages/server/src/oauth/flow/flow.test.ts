/**
 * The OAuth 2.0 flow over real HTTPS: oauth2/authorize → the sign-in page → a code (with PKCE)
 * or a token, oauth2/token, refresh and exchange, the out-of-band approval page, and the attacks
 * each answered with its own error: unregistered and look-alike redirect URIs (shown on the
 * portal's page, never redirected), a replayed code (revoking what it issued), a wrong
 * verifier, another app's code, a disabled user's refresh token, an expiration beyond the
 * maximum (clamped).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../../identity/test-users.ts';
import { authorize, pkcePair, signIn, signInThrough, token } from './test-oauth.ts';

const APP_CALLBACK = 'https://app.example.org/callback';

describe('OAuth 2.0 authorization flow', () => {
  let portal: TestPortal;
  let callback: string;
  let admin: string;
  /** A registered browser app and a native app. */
  let browserApp: { client_id: string; client_secret: string };
  let nativeApp: { client_id: string; client_secret: string };

  async function registerApp(appType: string, redirectUris: string[]) {
    const item = await portal.call('/sharing/rest/content/users/admin/addItem', {
      token: admin,
      title: `An ${appType} app`,
      type: 'Application',
    });
    assert.equal(item.success, true, JSON.stringify(item));
    const app = await portal.call('/sharing/rest/oauth2/registerApp', {
      token: admin,
      itemId: item.id,
      appType,
      redirect_uris: JSON.stringify(redirectUris),
    });
    assert.ok(app.client_id && app.client_secret, JSON.stringify(app));
    return app as { client_id: string; client_secret: string };
  }

  before(async () => {
    portal = await startTestPortal();
    callback = `${portal.kernel.baseUrl()}/home/oauth-callback`;
    admin = await portal.token();
    await addUser(portal, 'oauthuser');
    browserApp = await registerApp('browser', [APP_CALLBACK]);
    nativeApp = await registerApp('native', ['urn:ietf:wg:oauth:2.0:oob']);
  });
  after(() => portal.close());

  const asUser = async (accessToken: string) =>
    portal.call('/sharing/rest/community/self', { token: accessToken }, { method: 'GET' });

  test('the portal client: code with PKCE, state returned unchanged, token, refresh, exchange', async () => {
    const { verifier, challenge } = pkcePair();
    const state = JSON.stringify({ id: 'abc', originalUrl: 'https://x/?a=1&b=2 c' });
    const back = await signInThrough(
      portal,
      {
        client_id: 'arcgisonline',
        response_type: 'code',
        redirect_uri: callback,
        state,
        expiration: 20160,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        locale: 'en',
      },
      'oauthuser',
      USER_PASSWORD,
    );
    assert.equal(`${back.origin}${back.pathname}`, callback);
    assert.equal(back.searchParams.get('state'), state);
    const code = back.searchParams.get('code')!;
    const answer = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code,
      redirect_uri: callback,
      code_verifier: verifier,
    });
    assert.equal(answer.username, 'oauthuser', JSON.stringify(answer));
    assert.equal(answer.ssl, true);
    assert.ok(answer.expires_in > 25 * 60 && answer.expires_in <= 30 * 60);
    assert.ok(answer.refresh_token_expires_in > 0);
    assert.equal((await asUser(answer.access_token)).username, 'oauthuser');

    const refreshed = await token(portal, {
      grant_type: 'refresh_token',
      client_id: 'arcgisonline',
      refresh_token: answer.refresh_token,
    });
    assert.equal((await asUser(refreshed.access_token)).username, 'oauthuser');
    assert.equal(refreshed.refresh_token, undefined);

    const exchanged = await token(portal, {
      grant_type: 'exchange_refresh_token',
      client_id: 'arcgisonline',
      refresh_token: answer.refresh_token,
      redirect_uri: callback,
    });
    assert.ok(exchanged.refresh_token && exchanged.refresh_token !== answer.refresh_token);
    const old = await token(portal, {
      grant_type: 'refresh_token',
      client_id: 'arcgisonline',
      refresh_token: answer.refresh_token,
    });
    assert.equal(
      old.error?.messageCode,
      'oauth.refresh_token_invalid',
      'the exchanged refresh token is spent',
    );
    assert.equal(old.error?.error, 'invalid_grant');
  });

  test('implicit flow for a browser app: the token in the fragment', async () => {
    const back = await signInThrough(
      portal,
      {
        client_id: browserApp.client_id,
        response_type: 'token',
        redirect_uri: APP_CALLBACK,
        state: 's1',
        expiration: 60,
      },
      'oauthuser',
      USER_PASSWORD,
    );
    assert.equal(`${back.origin}${back.pathname}`, APP_CALLBACK);
    assert.equal(back.search, '', 'nothing in the query');
    const f = new URLSearchParams(back.hash.slice(1));
    assert.equal(f.get('username'), 'oauthuser');
    assert.equal(f.get('ssl'), 'true');
    assert.equal(f.get('state'), 's1');
    assert.ok(Number(f.get('expires_in')) > 59 * 60 && Number(f.get('expires_in')) <= 3600);
    assert.equal((await asUser(f.get('access_token')!)).username, 'oauthuser');
  });

  test('an expiration beyond the maximum is clamped, not refused', async () => {
    const max = (await portal.modules.portal.settings.get()).maxTokenExpirationMinutes;
    const back = await signInThrough(
      portal,
      {
        client_id: browserApp.client_id,
        response_type: 'token',
        redirect_uri: APP_CALLBACK,
        expiration: max * 10,
      },
      'oauthuser',
      USER_PASSWORD,
    );
    const f = new URLSearchParams(back.hash.slice(1));
    assert.ok(Number(f.get('expires_in')) <= max * 60, `${f.get('expires_in')} s ≤ ${max} min`);
  });

  test('unregistered and look-alike redirect URIs are shown on the portal page, never redirected to', async () => {
    const base = new URL(APP_CALLBACK);
    for (const redirect of [
      'https://evil.example.com/callback',
      `https://${base.host}.evil/callback`,
      `https://${base.host}:8443/callback`,
      `${APP_CALLBACK}/more`,
      `${APP_CALLBACK}/`,
      APP_CALLBACK.replace('https:', 'http:'),
      `https://${base.host}@evil.example.com/callback`,
    ]) {
      const r = await authorize(portal, {
        client_id: browserApp.client_id,
        response_type: 'token',
        redirect_uri: redirect,
      });
      assert.equal(r.status, 400, redirect);
      assert.equal(r.location, null, `no redirect to ${redirect}`);
      assert.match(r.body, /oauth\.redirect_uri_unregistered/, redirect);
      assert.equal(r.oauthState, undefined);
    }
    const unknown = await authorize(portal, {
      client_id: 'nosuchapp',
      response_type: 'code',
      redirect_uri: APP_CALLBACK,
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /oauth\.unknown_client/);
    assert.match(unknown.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  });

  test('errors after the redirect URI is verified go back to the app with error and state', async () => {
    const r = await authorize(portal, {
      client_id: browserApp.client_id,
      response_type: 'code',
      redirect_uri: APP_CALLBACK,
      state: 'st',
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'plain',
    });
    assert.equal(r.status, 303);
    const back = new URL(r.location!);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description')!, /S256/);
    assert.equal(back.searchParams.get('state'), 'st');
    const bad = await authorize(portal, {
      client_id: browserApp.client_id,
      response_type: 'id_token',
      redirect_uri: APP_CALLBACK,
    });
    assert.equal(new URL(bad.location!).searchParams.get('error'), 'unsupported_response_type');
  });

  test('a cancelled sign-in answers access_denied; a wrong password shows the page again', async () => {
    const page = await authorize(portal, {
      client_id: browserApp.client_id,
      response_type: 'code',
      redirect_uri: APP_CALLBACK,
      state: 'c',
    });
    const wrong = await signIn(portal, page.oauthState!, {
      username: 'oauthuser',
      password: 'not-the-password',
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body, /role="alert"/);
    assert.match(wrong.body, new RegExp(`value="${page.oauthState}"`));
    const cancelled = await signIn(portal, page.oauthState!, { cancel: 'true' });
    const back = new URL(cancelled.location!);
    assert.equal(back.searchParams.get('error'), 'access_denied');
    assert.equal(back.searchParams.get('state'), 'c');
    const again = await signIn(portal, page.oauthState!, { username: 'oauthuser', password: USER_PASSWORD });
    assert.equal(again.status, 400, 'a finished sign-in cannot be submitted again');
    assert.match(again.body, /oauth\.authorization_expired/);
  });

  test('sign-in from another site is refused', async () => {
    const page = await authorize(portal, {
      client_id: browserApp.client_id,
      response_type: 'token',
      redirect_uri: APP_CALLBACK,
    });
    const res = await portal.fetch('/sharing/rest/oauth2/signin', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example.com' },
      body: new URLSearchParams({
        oauth_state: page.oauthState!,
        username: 'oauthuser',
        password: USER_PASSWORD,
      }).toString(),
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('location'), null);
  });

  test('a replayed code is refused and revokes the tokens it was exchanged for', async () => {
    const { verifier, challenge } = pkcePair();
    const back = await signInThrough(
      portal,
      {
        client_id: 'arcgisonline',
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      'oauthuser',
      USER_PASSWORD,
    );
    const fields = {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: back.searchParams.get('code')!,
      redirect_uri: callback,
      code_verifier: verifier,
    };
    const first = await token(portal, fields);
    assert.equal((await asUser(first.access_token)).username, 'oauthuser');
    const replay = await token(portal, fields);
    assert.equal(replay.error?.messageCode, 'oauth.code_reused');
    assert.equal(replay.error?.error, 'invalid_grant');
    assert.equal((await asUser(first.access_token)).error?.code, 498, 'the access token is revoked');
    const refresh = await token(portal, {
      grant_type: 'refresh_token',
      client_id: 'arcgisonline',
      refresh_token: first.refresh_token,
    });
    assert.equal(refresh.error?.messageCode, 'oauth.refresh_token_invalid', 'the refresh token is revoked');
  });

  test('a wrong verifier, another app, another redirect URI: each its own error', async () => {
    const codeFor = async () => {
      const { verifier, challenge } = pkcePair();
      const back = await signInThrough(
        portal,
        {
          client_id: 'arcgisonline',
          response_type: 'code',
          redirect_uri: callback,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        },
        'oauthuser',
        USER_PASSWORD,
      );
      return { code: back.searchParams.get('code')!, verifier };
    };
    const a = await codeFor();
    const wrong = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: a.code,
      redirect_uri: callback,
      code_verifier: pkcePair().verifier,
    });
    assert.equal(wrong.error?.messageCode, 'oauth.code_verifier_mismatch');
    const noVerifier = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: (await codeFor()).code,
      redirect_uri: callback,
    });
    assert.equal(noVerifier.error?.messageCode, 'oauth.code_verifier_mismatch');
    const b = await codeFor();
    const otherApp = await token(portal, {
      grant_type: 'authorization_code',
      client_id: browserApp.client_id,
      client_secret: browserApp.client_secret,
      code: b.code,
      redirect_uri: callback,
      code_verifier: b.verifier,
    });
    assert.equal(otherApp.error?.messageCode, 'oauth.code_client_mismatch');
    const c = await codeFor();
    const otherRedirect = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: c.code,
      redirect_uri: APP_CALLBACK,
      code_verifier: c.verifier,
    });
    assert.equal(otherRedirect.error?.messageCode, 'oauth.code_redirect_mismatch');
    const unknown = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: 'nope',
      redirect_uri: callback,
      code_verifier: c.verifier,
    });
    assert.equal(unknown.error?.messageCode, 'oauth.code_invalid');
    const grant = await token(portal, { grant_type: 'password', client_id: 'arcgisonline' });
    assert.equal(grant.error?.messageCode, 'oauth.grant_type_unsupported');
    assert.equal(grant.error?.error, 'unsupported_grant_type');
  });

  test("a disabled user's refresh token is refused", async () => {
    await addUser(portal, 'soontobedisabled');
    const { verifier, challenge } = pkcePair();
    const back = await signInThrough(
      portal,
      {
        client_id: 'arcgisonline',
        response_type: 'code',
        redirect_uri: callback,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      'soontobedisabled',
      USER_PASSWORD,
    );
    const answer = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: back.searchParams.get('code')!,
      redirect_uri: callback,
      code_verifier: verifier,
    });
    await portal.modules.identity.setDisabled('soontobedisabled', true);
    const refresh = await token(portal, {
      grant_type: 'refresh_token',
      client_id: 'arcgisonline',
      refresh_token: answer.refresh_token,
    });
    assert.equal(refresh.error?.messageCode, 'oauth.refresh_token_user_revoked');
    await portal.modules.identity.setDisabled('soontobedisabled', false);
    const afterEnable = await token(portal, {
      grant_type: 'refresh_token',
      client_id: 'arcgisonline',
      refresh_token: answer.refresh_token,
    });
    assert.equal(
      afterEnable.error?.messageCode,
      'oauth.refresh_token_user_revoked',
      'disabling revoked it for good (token epoch)',
    );
  });

  test('out-of-band: the code on the approval page, once; exchanged with the secret', async () => {
    const { verifier, challenge } = pkcePair();
    const page = await authorize(portal, {
      client_id: nativeApp.client_id,
      response_type: 'code',
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const done = await signIn(portal, page.oauthState!, { username: 'oauthuser', password: USER_PASSWORD });
    assert.equal(done.status, 303);
    assert.match(done.location!, /^\/sharing\/rest\/oauth2\/approval\?oauth_state=/);
    assert.doesNotMatch(done.location!, /code=/, 'the code is not in a URL');
    const approval = await portal.fetch(done.location!);
    const html = await approval.text();
    const code = /<title>SUCCESS code=([A-Za-z0-9_-]+)<\/title>/.exec(html)?.[1];
    assert.ok(code, html);
    const twice = await portal.fetch(done.location!);
    assert.equal(twice.status, 400, 'the code is shown once');
    const answer = await token(portal, {
      grant_type: 'authorization_code',
      client_id: nativeApp.client_id,
      client_secret: nativeApp.client_secret,
      code,
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      code_verifier: verifier,
    });
    assert.equal((await asUser(answer.access_token)).username, 'oauthuser', JSON.stringify(answer));
  });

  test("deleting an app's item revokes the tokens and refresh tokens issued to it", async () => {
    const app = await registerApp('browser', [APP_CALLBACK]);
    const { verifier, challenge } = pkcePair();
    const back = await signInThrough(
      portal,
      {
        client_id: app.client_id,
        response_type: 'code',
        redirect_uri: APP_CALLBACK,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      'oauthuser',
      USER_PASSWORD,
    );
    const answer = await token(portal, {
      grant_type: 'authorization_code',
      client_id: app.client_id,
      code: back.searchParams.get('code')!,
      redirect_uri: APP_CALLBACK,
      code_verifier: verifier,
    });
    assert.equal((await asUser(answer.access_token)).username, 'oauthuser');
    const info = await portal.call(`/sharing/rest/oauth2/apps/${app.client_id}`, { token: admin });
    const deleted = await portal.call(`/sharing/rest/content/users/admin/items/${info.itemId}/delete`, {
      token: admin,
    });
    assert.equal(deleted.success, true, JSON.stringify(deleted));
    assert.equal((await asUser(answer.access_token)).error?.code, 498, 'the access token stops working');
    const refresh = await token(portal, {
      grant_type: 'refresh_token',
      client_id: app.client_id,
      refresh_token: answer.refresh_token,
    });
    assert.equal(refresh.error?.error, 'invalid_client', 'the app is gone');
  });

  test('a code issued without PKCE: a browser app must send its secret; a native app (public client) need not', async () => {
    const browserCode = async () =>
      (
        await signInThrough(
          portal,
          { client_id: browserApp.client_id, response_type: 'code', redirect_uri: APP_CALLBACK },
          'oauthuser',
          USER_PASSWORD,
        )
      ).searchParams.get('code')!;
    const fields = {
      grant_type: 'authorization_code',
      client_id: browserApp.client_id,
      redirect_uri: APP_CALLBACK,
    };
    const refused = await token(portal, { ...fields, code: await browserCode() });
    assert.equal(refused.error?.messageCode, 'oauth.client_authentication_failed');
    const withSecret = await token(portal, {
      ...fields,
      code: await browserCode(),
      client_secret: browserApp.client_secret,
    });
    assert.equal(withSecret.username, 'oauthuser', JSON.stringify(withSecret));
    const page = await authorize(portal, {
      client_id: nativeApp.client_id,
      response_type: 'code',
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
    });
    const done = await signIn(portal, page.oauthState!, { username: 'oauthuser', password: USER_PASSWORD });
    const html = await (await portal.fetch(done.location!)).text();
    const code = /<title>SUCCESS code=([A-Za-z0-9_-]+)<\/title>/.exec(html)![1]!;
    const native = await token(portal, {
      grant_type: 'authorization_code',
      client_id: nativeApp.client_id,
      redirect_uri: 'urn:ietf:wg:oauth:2.0:oob',
      code,
    });
    assert.equal(native.username, 'oauthuser', JSON.stringify(native));
  });
});
