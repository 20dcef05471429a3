import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { webSignIn } from '../oauth/flow/test-oauth.ts';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`web session cookie and CSRF (${database})`, () => {
    let portal: TestPortal;
    before(async () => {
      portal = await startTestPortal({ database });
    });
    after(() => portal.close());

    /** The web UI's sign-in: the OAuth code flow (arcgisonline, PKCE), then oauth2/session. */
    async function signIn() {
      const s = await webSignIn(portal);
      assert.ok(s.cookie, JSON.stringify(s.body));
      return { ...s, cookie: s.cookie };
    }

    test('sign-in sets an HttpOnly, Secure, SameSite=Strict cookie and answers the CSRF token', async () => {
      const s = await signIn();
      assert.equal(s.body.username, 'admin');
      assert.equal(typeof s.body.csrfToken, 'string');
      assert.ok(s.body.expires > Date.now());
      assert.match(s.setCookie, /HttpOnly/i);
      assert.match(s.setCookie, /Secure/i);
      assert.match(s.setCookie, /SameSite=Strict/i);
      assert.match(s.setCookie, /Path=\//);
      const got = await portal.call(
        '/sharing/rest/web/session',
        {},
        { method: 'GET', headers: { cookie: s.cookie } },
      );
      assert.deepEqual(got, s.body);
      const me = await portal.call(
        '/sharing/rest/community/self',
        {},
        { method: 'GET', headers: { cookie: s.cookie } },
      );
      assert.equal(me.username, 'admin');
    });

    test('signed out: GET session answers 499; there is no password sign-in for the web UI', async () => {
      const r = await portal.call('/sharing/rest/web/session', {}, { method: 'GET' });
      assert.equal(r.error.code, 499);
      const old = await portal.fetch('/sharing/rest/web/session', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD, f: 'json' }).toString(),
      });
      assert.equal(old.headers.get('set-cookie'), null);
      assert.notEqual(((await old.json()) as { error?: unknown }).error, undefined);
    });

    test('state changes with the cookie need X-Meridian-CSRF', async () => {
      const s = await signIn();
      const without = await portal.call(
        '/sharing/rest/portals/self/update',
        { name: 'CSRF test' },
        { headers: { cookie: s.cookie } },
      );
      assert.equal(without.error.code, 403);
      assert.match(without.error.message, /X-Meridian-CSRF/);
      const wrong = await portal.call(
        '/sharing/rest/portals/self/update',
        { name: 'CSRF test' },
        { headers: { cookie: s.cookie, 'x-meridian-csrf': `${s.csrf}x` } },
      );
      assert.equal(wrong.error.code, 403);
      assert.notEqual((await portal.modules.portal.settings.get()).name, 'CSRF test');
      const right = await portal.call(
        '/sharing/rest/portals/self/update',
        { name: 'CSRF test' },
        { headers: { cookie: s.cookie, 'x-meridian-csrf': s.csrf } },
      );
      assert.equal(right.success, true);
      // A token wins over the cookie, and needs no CSRF header.
      const token = await portal.token();
      const withToken = await portal.call(
        '/sharing/rest/portals/self/update',
        { name: 'Meridian', token },
        { headers: { cookie: s.cookie } },
      );
      assert.equal(withToken.success, true);
    });

    test('the session cookie is not a token, and a token is not a session cookie', async () => {
      const s = await signIn();
      const asToken = await portal.call(
        '/sharing/rest/community/self',
        { token: s.cookie.split('=')[1]! },
        { method: 'GET' },
      );
      assert.equal(asToken.error.code, 498);
      const token = await portal.token();
      const asCookie = await portal.call(
        '/sharing/rest/community/self',
        {},
        { method: 'GET', headers: { cookie: `meridian_session=${token}` } },
      );
      assert.equal(asCookie.error.code, 499);
    });

    test('DELETE signs out: the cookie is cleared and the session revoked', async () => {
      const s = await signIn();
      const noCsrf = await portal.fetch('/sharing/rest/web/session?f=json', {
        method: 'DELETE',
        headers: { cookie: s.cookie },
      });
      assert.equal(((await noCsrf.json()) as { error: { code: number } }).error.code, 403);
      const res = await portal.fetch('/sharing/rest/web/session?f=json', {
        method: 'DELETE',
        headers: { cookie: s.cookie, 'x-meridian-csrf': s.csrf },
      });
      assert.equal(((await res.json()) as { success: boolean }).success, true);
      assert.match(res.headers.get('set-cookie') ?? '', /meridian_session=;/);
      const after = await portal.call(
        '/sharing/rest/web/session',
        {},
        { method: 'GET', headers: { cookie: s.cookie } },
      );
      assert.equal(after.error.code, 499);
    });
  });
}
