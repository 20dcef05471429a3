/**
 * The web UI signs in as the portal's own client (arcgisonline, code flow with PKCE) and gets a
 * web session instead of a token (oauth2/session); GET oauth2/signout ends that session on
 * every node and returns only to a registered redirect URI. Two nodes on one PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../../identity/test-users.ts';
import { exchangeForSession, pkcePair, signInThrough, webCallback, webSignIn } from './test-oauth.ts';

const APP_CALLBACK = 'https://app.example.org/callback';

describe('the web UI signs in through OAuth and out with oauth2/signout', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  let appClientId: string;

  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
    await addUser(a, 'webuser');
    const admin = await a.token();
    const item = await a.call('/sharing/rest/content/users/admin/addItem', {
      token: admin,
      title: 'A browser app',
      type: 'Application',
    });
    const app = await a.call('/sharing/rest/oauth2/registerApp', {
      token: admin,
      itemId: item.id,
      appType: 'browser',
      redirect_uris: JSON.stringify([APP_CALLBACK]),
    });
    appClientId = app.client_id;
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  /** A code of the portal's client for webuser, and its verifier. */
  async function webCode(portal = a) {
    const { verifier, challenge } = pkcePair();
    const back = await signInThrough(
      portal,
      {
        client_id: 'arcgisonline',
        response_type: 'code',
        redirect_uri: webCallback(portal),
        state: 's',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      'webuser',
      USER_PASSWORD,
    );
    return { code: back.searchParams.get('code')!, verifier, redirect_uri: webCallback(portal) };
  }

  const session = (portal: TestPortal, cookie: string) =>
    portal.call('/sharing/rest/web/session', {}, { method: 'GET', headers: { cookie } });

  test('a code becomes a session: the cookie HttpOnly, Secure, SameSite=Strict; GET web/session and a CSRF-guarded change work', async () => {
    const c = await webCode();
    const s = await exchangeForSession(a, {
      code: c.code,
      code_verifier: c.verifier,
      redirect_uri: c.redirect_uri,
    });
    assert.equal(s.body.username, 'webuser', JSON.stringify(s.body));
    assert.equal(typeof s.body.csrfToken, 'string');
    assert.ok(s.body.expires > Date.now());
    assert.ok(s.cookie);
    assert.match(s.setCookie, /HttpOnly/i);
    assert.match(s.setCookie, /Secure/i);
    assert.match(s.setCookie, /SameSite=Strict/i);
    assert.match(s.setCookie, /Path=\//);
    assert.match(s.setCookie, /Max-Age=\d+/);
    assert.deepEqual(await session(a, s.cookie), s.body);
    assert.deepEqual(await session(b, s.cookie), s.body, 'the other node knows the session');
    const update = (headers: Record<string, string>) =>
      a.call(
        '/sharing/rest/community/users/webuser/update',
        { description: 'Signed in through OAuth' },
        { headers },
      );
    assert.equal((await update({ cookie: s.cookie })).error?.code, 403, 'no CSRF header: refused');
    const ok = await update({ cookie: s.cookie, 'x-meridian-csrf': s.body.csrfToken });
    assert.equal(ok.success, true, JSON.stringify(ok));
  });

  test('refused: another app’s code, no verifier, a wrong verifier, another site; nothing set', async () => {
    const { verifier, challenge } = pkcePair();
    const back = await signInThrough(
      a,
      {
        client_id: appClientId,
        response_type: 'code',
        redirect_uri: APP_CALLBACK,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      'webuser',
      USER_PASSWORD,
    );
    const other = await exchangeForSession(a, {
      code: back.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: APP_CALLBACK,
    });
    assert.equal(other.body.error?.messageCode, 'oauth.code_client_mismatch', JSON.stringify(other.body));
    assert.equal(other.setCookie, '');

    const c = await webCode();
    const noVerifier = await exchangeForSession(a, { code: c.code, redirect_uri: c.redirect_uri });
    assert.equal(noVerifier.body.error?.messageCode, 'oauth.token_request_invalid');
    assert.match(noVerifier.body.error?.message, /PKCE/);
    assert.equal(noVerifier.setCookie, '');
    const crossSite = await exchangeForSession(
      a,
      { code: c.code, code_verifier: c.verifier, redirect_uri: c.redirect_uri },
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(crossSite.body.error?.code, 403);
    assert.equal(crossSite.setCookie, '');
    // Neither refusal used the code up.
    const ok = await exchangeForSession(a, {
      code: c.code,
      code_verifier: c.verifier,
      redirect_uri: c.redirect_uri,
    });
    assert.equal(ok.body.username, 'webuser', JSON.stringify(ok.body));

    const d = await webCode();
    const wrong = await exchangeForSession(a, {
      code: d.code,
      code_verifier: pkcePair().verifier,
      redirect_uri: d.redirect_uri,
    });
    assert.equal(wrong.body.error?.messageCode, 'oauth.code_verifier_mismatch');
    assert.equal(wrong.setCookie, '');
  });

  test('a replayed code is refused and ends the session it opened, on every node', async () => {
    const c = await webCode();
    const fields = { code: c.code, code_verifier: c.verifier, redirect_uri: c.redirect_uri };
    const first = await exchangeForSession(a, fields);
    assert.ok(first.cookie);
    const replay = await exchangeForSession(b, { ...fields, redirect_uri: c.redirect_uri });
    assert.equal(replay.body.error?.messageCode, 'oauth.code_reused');
    assert.equal(replay.setCookie, '');
    assert.equal((await session(b, first.cookie)).error?.code, 499);
    // Node a learns of the revocation through the change bus: at once, or within moments under load.
    let onA: number | undefined;
    for (let i = 0; i < 50 && onA !== 499; i++) {
      if (i) await new Promise((r) => setTimeout(r, 100));
      onA = (await session(a, first.cookie)).error?.code;
    }
    assert.equal(onA, 499, 'the session ends on the other node too');
  });

  test('the admin’s code works too (webSignIn helper), and a cookie held already does not block a new sign-in', async () => {
    const s = await webSignIn(a);
    assert.equal(s.body.username, 'admin');
    const c = await webCode();
    const again = await exchangeForSession(
      a,
      { code: c.code, code_verifier: c.verifier, redirect_uri: c.redirect_uri },
      { origin: a.url, 'sec-fetch-site': 'same-origin', cookie: s.cookie! },
    );
    assert.equal(again.body.username, 'webuser', JSON.stringify(again.body));
  });

  async function signedIn() {
    const c = await webCode();
    const s = await exchangeForSession(a, {
      code: c.code,
      code_verifier: c.verifier,
      redirect_uri: c.redirect_uri,
    });
    assert.ok(s.cookie);
    const me = await a.call(
      '/sharing/rest/community/self',
      {},
      { method: 'GET', headers: { cookie: s.cookie } },
    );
    const rows = async () =>
      (
        await a.kernel.db.kysely
          .selectFrom('web_sessions')
          .select('id')
          .where('user_id', '=', me.id)
          .execute()
      ).length;
    return { cookie: s.cookie, rows };
  }

  const signOut = (portal: TestPortal, query: Record<string, string>, headers: Record<string, string>) =>
    portal.fetch(`/sharing/rest/oauth2/signout?${new URLSearchParams(query)}`, {
      redirect: 'manual',
      headers: { 'sec-fetch-site': 'same-origin', ...headers },
    });

  test('signout ends the session on every node (its row deleted), clears the cookie and follows a registered redirect', async () => {
    const s = await signedIn();
    const before = await s.rows();
    assert.ok(before >= 1);
    const res = await signOut(
      b,
      { client_id: 'arcgisonline', redirect_uri: webCallback(b) },
      { cookie: s.cookie },
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), webCallback(b));
    assert.match(res.headers.get('set-cookie') ?? '', /meridian_session=;/);
    assert.equal(await s.rows(), before - 1, 'the session row is deleted');
    assert.equal((await session(a, s.cookie)).error?.code, 499);
    assert.equal((await session(b, s.cookie)).error?.code, 499);

    const t = await signedIn();
    const toApp = await signOut(
      a,
      { client_id: appClientId, redirect_uri: APP_CALLBACK },
      { cookie: t.cookie },
    );
    assert.equal(toApp.headers.get('location'), APP_CALLBACK);
    assert.equal((await session(a, t.cookie)).error?.code, 499);
  });

  test('an unregistered redirect is not followed: the signed-out page instead', async () => {
    const queries: Record<string, string>[] = [
      { client_id: 'arcgisonline', redirect_uri: 'https://evil.example/home/oauth-callback' },
      { client_id: appClientId, redirect_uri: webCallback(a) },
      { client_id: 'nosuchapp', redirect_uri: APP_CALLBACK },
      { redirect_uri: APP_CALLBACK },
    ];
    for (const query of queries) {
      const s = await signedIn();
      const res = await signOut(a, query, { cookie: s.cookie });
      assert.equal(res.status, 200, JSON.stringify(query));
      assert.equal(res.headers.get('location'), null);
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      const body = await res.text();
      assert.match(body, /Signed out/);
      assert.match(body, /not registered/);
      assert.doesNotMatch(body, /evil\.example/);
      assert.equal((await session(a, s.cookie)).error?.code, 499, 'signed out all the same');
    }
    const plain = await signOut(a, {}, {});
    assert.equal(plain.status, 200);
    assert.doesNotMatch(await plain.text(), /not registered/);
    assert.equal(plain.headers.get('set-cookie'), null, 'no cookie sent: nothing to clear');
  });

  test('from another site, signout asks first and ends nothing', async () => {
    const s = await signedIn();
    const before = await s.rows();
    const res = await signOut(
      a,
      { client_id: appClientId, redirect_uri: APP_CALLBACK },
      { cookie: s.cookie, 'sec-fetch-site': 'cross-site' },
    );
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('set-cookie'), null);
    const body = await res.text();
    assert.match(body, /Sign out of .*\?/);
    assert.match(body, /<form method="get" action="\/sharing\/rest\/oauth2\/signout">/);
    assert.match(body, new RegExp(`href="${APP_CALLBACK}"`), 'stay signed in returns to the app');
    assert.equal(await s.rows(), before);
    assert.equal((await session(a, s.cookie)).username, 'webuser');
    const sibling = await signOut(a, {}, { cookie: s.cookie, 'sec-fetch-site': 'same-site' });
    assert.match(await sibling.text(), /Sign out of .*\?/);
    assert.equal((await session(a, s.cookie)).username, 'webuser');
  });
});
