/**
 * What every request gets right: no password in a URL, a redirect that never follows the
 * request's Host, browser sign-in and sign-out only from the portal's own pages, a framing-proof
 * UI, a 400 (never a 500) for absurd input, and sign-out that ends one session.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { webSignIn as webSignInThroughOAuth } from '../oauth/flow/test-oauth.ts';

describe('request hygiene', () => {
  let portal: TestPortal;
  let token: string;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    portal = await startTestPortal();
    token = await portal.token();
  });
  after(() => portal?.close());

  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several shapes.
  const json = async (res: Response | Awaited<ReturnType<TestPortal['fetch']>>): Promise<any> => res.json();

  test('generateToken refuses a password in the URL, GET or POST', async () => {
    const query = new URLSearchParams({ username: 'admin', password: ADMIN_PASSWORD, f: 'json' });
    for (const init of [{}, { method: 'POST', headers: form, body: 'client=requestip' }]) {
      const r = await json(await portal.fetch(`/sharing/rest/generateToken?${query}`, init));
      assert.equal(r.token, undefined, JSON.stringify(r));
      assert.match(r.error.details[0], /password was sent in the URL/);
    }
    const ok = await json(
      await portal.fetch('/sharing/rest/generateToken?f=json', {
        method: 'POST',
        headers: form,
        body: query.toString(),
      }),
    );
    assert.ok(ok.token, 'in the body it works');
  });

  test('plain HTTP redirects to the configured host name, whatever Host says', async () => {
    const location = await new Promise<string | undefined>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: portal.httpPort,
          path: '/home/?x=1',
          headers: { host: 'evil.example:80' },
        },
        (res) => {
          res.resume();
          resolve(res.headers.location);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(location, `https://localhost:${portal.httpsPort}/home/?x=1`);
  });

  /** The web UI's sign-in (OAuth code flow, then oauth2/session with these headers). */
  const webSignIn = (headers?: Record<string, string>) =>
    webSignInThroughOAuth(portal, 'admin', ADMIN_PASSWORD, headers);

  test('web sign-in is refused from another site', async () => {
    const host = new URL(portal.url).host;
    const crossSite: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
      { origin: `http://${host}` },
    ];
    for (const headers of crossSite) {
      const r = await webSignIn(headers);
      assert.equal(r.body.error?.code, 403, `${JSON.stringify(headers)}: ${JSON.stringify(r.body)}`);
      assert.equal(r.cookie, undefined);
    }
    const same = await webSignIn({ origin: `https://${host}`, 'sec-fetch-site': 'same-origin' });
    assert.ok(same.cookie, JSON.stringify(same.body));
  });

  test('sign-out everywhere takes POST only, from the portal’s own pages; GET signout from another site asks first', async () => {
    const s = await webSignIn();
    const get = await portal.fetch('/sharing/rest/oauth2/signout', {
      headers: { cookie: s.cookie!, 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(get.status, 200);
    assert.match(await get.text(), /Sign out of .*\?/);
    assert.equal(get.headers.get('set-cookie'), null);
    const cross = await json(
      await portal.fetch('/sharing/rest/oauth2/signout?f=json', {
        method: 'POST',
        headers: { cookie: s.cookie!, 'x-meridian-csrf': s.csrf, origin: 'https://evil.example' },
      }),
    );
    assert.equal(cross.error.code, 403);
    const still = await portal.call(
      '/sharing/rest/community/self',
      {},
      { method: 'GET', headers: { cookie: s.cookie! } },
    );
    assert.equal(still.username, 'admin', 'nothing was signed out');
  });

  test('signing out of the web UI ends that session only; sign out everywhere ends all', async () => {
    const a = await webSignIn();
    const b = await webSignIn();
    const api = await portal.token();
    const self = (headers: Record<string, string>) =>
      portal.call('/sharing/rest/community/self', {}, { method: 'GET', headers });
    const out = await json(
      await portal.fetch('/sharing/rest/web/session?f=json', {
        method: 'DELETE',
        headers: { cookie: a.cookie!, 'x-meridian-csrf': a.csrf },
      }),
    );
    assert.equal(out.success, true);
    assert.equal(
      (await self({ cookie: a.cookie! })).error.code,
      499,
      'A ended (its cookie is anonymous now)',
    );
    assert.equal((await self({ cookie: b.cookie! })).username, 'admin', 'B goes on');
    assert.equal((await self({ authorization: `Bearer ${api}` })).username, 'admin', 'API tokens go on');
    const all = await json(
      await portal.fetch('/sharing/rest/oauth2/signout?f=json', {
        method: 'POST',
        headers: { cookie: b.cookie!, 'x-meridian-csrf': b.csrf },
      }),
    );
    assert.equal(all.success, true);
    assert.equal((await self({ cookie: b.cookie! })).error.code, 499);
    assert.equal((await self({ authorization: `Bearer ${api}` })).error.code, 498);
    token = await portal.token();
  });

  test('the web UI cannot be framed and runs only its own scripts', async () => {
    const res = await portal.fetch('/home/');
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
    await res.text();
  });

  test('deeply nested JSON and out-of-range paging are a 400, never a 500', async () => {
    const deep = `{"title":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    const r = await json(
      await portal.fetch(`/sharing/rest/content/users/admin/addItem?f=json&token=${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: deep,
      }),
    );
    assert.equal(r.error.code, 400, JSON.stringify(r).slice(0, 300));
    assert.match(r.error.message, /nested more than 64 levels/);
    const listings = [
      '/sharing/rest/search',
      '/sharing/rest/community/users',
      '/sharing/rest/community/groups',
      '/sharing/rest/portals/self/users/search',
      '/sharing/rest/content/users/admin',
    ];
    for (const path of listings)
      for (const [k, v] of [
        ['start', '1e20'],
        ['start', '99999999999999999999'],
        ['start', '0'],
        ['num', '99999999999'],
        ['num', '-1'],
      ]) {
        const answer = await portal.call(path, { token, q: 'a', [k!]: v! }, { method: 'GET' });
        assert.equal(answer.error?.code, 400, `${path} ${k}=${v}: ${JSON.stringify(answer).slice(0, 200)}`);
      }
    const admin = await portal.call('/portaladmin/security/users', { token, start: '1e20' });
    assert.equal(admin.code, 400, JSON.stringify(admin));
  });
});
