/**
 * The web UI signs in through the portal's OAuth sign-in page in Chromium (the code flow with
 * PKCE as the portal's own client, arcgisonline) and lands back on the page the user asked for;
 * a callback whose state is missing or altered is refused with a visible error and signs nobody
 * in; "Sign out" goes through oauth2/signout and ends the session. Screenshots of the portal's
 * sign-in page, the callback's refusal and the signed-out page go to /tmp.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { signInOnPortalPage, signInThroughUi, until } from './ui-helpers.ts';

const USER = 'olga_user';
const PASSWORD = 'Olga-passw0rd';

describe('OAuth sign-in of the web UI in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token: await portal.token(),
      username: USER,
      password: PASSWORD,
      firstname: 'Olga',
      lastname: 'Orr',
      email: 'olga@example.org',
      role: 'org_user',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  /** A fresh browser profile (no cookie, no sessionStorage). */
  async function freshPage(width = 1366) {
    await page?.context().close();
    const context = await chromium.browser.newContext({ locale: 'en-US', viewport: { width, height: 800 } });
    page = await context.newPage();
    return page;
  }

  /** What GET web/session answers with this browser's cookie (the username, or the error code). */
  async function sessionOf(p: Page): Promise<string | number> {
    const cookie = (await p.context().cookies(portal.url)).find((c) => c.name === 'meridian_session');
    if (!cookie) return 499;
    const body = await portal.call(
      '/sharing/rest/web/session',
      {},
      { method: 'GET', headers: { cookie: `meridian_session=${cookie.value}` } },
    );
    return body.username ?? body.error?.code ?? 0;
  }

  test('sign in lands back on the page asked for, query included', async () => {
    for (const width of [1366, 800]) {
      const p = await freshPage(width);
      await p.goto(`${portal.url}/home/search.html?q=river`);
      await p.getByTestId('sign-in-form').waitFor();
      assert.equal(new URL(p.url()).searchParams.get('next'), '/home/search.html?q=river');
      await p.screenshot({ path: `/tmp/meridian-ui-signin-start-${width}.png`, fullPage: true });
      await p.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
      await p.waitForURL(/\/sharing\/rest\/oauth2\/authorize\?/);
      const authorize = new URL(p.url());
      assert.equal(authorize.searchParams.get('client_id'), 'arcgisonline');
      assert.equal(authorize.searchParams.get('response_type'), 'code');
      assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
      assert.match(authorize.searchParams.get('code_challenge') ?? '', /^[\w-]{43}$/);
      assert.match(authorize.searchParams.get('state') ?? '', /^[\w-]{43}$/);
      assert.equal(authorize.searchParams.get('redirect_uri'), `${portal.url}/home/oauth-callback`);
      await p.getByRole('heading', { name: /Sign in to/ }).waitFor();
      await p.screenshot({ path: `/tmp/meridian-ui-oauth-page-${width}.png`, fullPage: true });
      // A wrong password stays on the portal's page, said so.
      await signInOnPortalPage(p, USER, 'Not-the-passw0rd');
      await p.getByRole('alert').waitFor();
      await p.screenshot({ path: `/tmp/meridian-ui-oauth-page-error-${width}.png`, fullPage: true });
      await signInOnPortalPage(p, USER, PASSWORD);
      await p.getByTestId('signed-in-user').filter({ hasText: USER }).waitFor();
      await p.getByRole('heading', { name: 'Search', level: 1 }).waitFor();
      assert.equal(new URL(p.url()).pathname + new URL(p.url()).search, '/home/search.html?q=river');
      assert.equal(await sessionOf(p), USER);
      const cookie = (await p.context().cookies()).find((c) => c.name === 'meridian_session');
      assert.ok(cookie);
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Strict');
    }
  });

  test('an altered state is refused with a visible error, and nobody is signed in', async () => {
    const p = await freshPage();
    await p.goto(`${portal.url}/home/signin.html?next=${encodeURIComponent('/home/groups.html')}`);
    await p.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    // The portal answers the sign-in with a redirect to the callback: held back here, and
    // opened with its state altered.
    let held: URL | undefined;
    await p.route(/\/sharing\/rest\/oauth2\/signin$/, async (route) => {
      // Sent on by the test (whose client trusts the portal's CA), as the browser sent it.
      const response = await portal.fetch('/sharing/rest/oauth2/signin', {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: portal.url },
        body: route.request().postData() ?? '',
      });
      held = new URL(response.headers.get('location')!, portal.url);
      await route.fulfill({ contentType: 'text/html', body: '<p>held</p>' });
    });
    await signInOnPortalPage(p, USER, PASSWORD);
    await until(async () => held !== undefined);
    await p.unroute(/\/sharing\/rest\/oauth2\/signin$/);
    const altered = new URL(held!);
    assert.ok(altered.searchParams.get('code'));
    altered.searchParams.set('state', `${altered.searchParams.get('state')}x`);
    await p.goto(altered.toString());
    await p.waitForURL(/\/home\/oauth-callback\?/);
    const alert = p.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /state does not match/);
    await p.getByRole('heading', { name: 'Sign-in failed' }).waitFor();
    await p.screenshot({ path: '/tmp/meridian-ui-oauth-callback-refused.png', fullPage: true });
    assert.equal(await sessionOf(p), 499);

    // A callback with a code and no state, opened by a link from elsewhere, is refused too.
    await p.goto(`${portal.url}/home/oauth-callback?code=planted-code`);
    await p
      .getByRole('alert')
      .filter({ hasText: /state does not match/ })
      .waitFor();
    assert.equal(await sessionOf(p), 499);

    // "Sign in again" starts over and works.
    await p.getByRole('link', { name: 'Sign in again' }).click();
    await p.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(p, USER, PASSWORD);
    await p.getByTestId('signed-in-user').filter({ hasText: USER }).waitFor();
  });

  test('cancelling on the portal’s page comes back with a message', async () => {
    const p = await freshPage();
    await p.goto(`${portal.url}/home/signin.html`);
    await p.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(/\/sharing\/rest\/oauth2\/authorize/);
    await p.getByRole('button', { name: 'Cancel' }).click();
    await p.getByRole('alert').filter({ hasText: 'Sign-in was cancelled.' }).waitFor();
    assert.equal(await sessionOf(p), 499);
  });

  test('sign out ends the session and comes back to the sign-in page', async () => {
    const p = await freshPage();
    await signInThroughUi(p, portal.url, USER, PASSWORD);
    const before = (await p.context().cookies()).find((c) => c.name === 'meridian_session');
    assert.ok(before);
    await p.getByRole('button', { name: 'Sign out', exact: true }).click();
    await p.getByTestId('sign-in-form').waitFor();
    assert.equal(new URL(p.url()).pathname, '/home/signin.html');
    await p.getByRole('status').filter({ hasText: 'You are signed out.' }).waitFor();
    await p.screenshot({ path: '/tmp/meridian-ui-signed-out.png', fullPage: true });
    assert.equal(await sessionOf(p), 499);
    assert.equal(
      (await p.context().cookies()).find((c) => c.name === 'meridian_session'),
      undefined,
      'the cookie is cleared',
    );
    // The old cookie, replayed, opens nothing: the session itself ended.
    const replayed = await portal.call(
      '/sharing/rest/web/session',
      {},
      { method: 'GET', headers: { cookie: `meridian_session=${before.value}` } },
    );
    assert.equal(replayed.error?.code, 499);
    // A protected page now asks to sign in.
    await p.goto(`${portal.url}/home/content.html`);
    await p.getByTestId('sign-in-form').waitFor();
  });

  test('the portal’s signed-out page and its confirmation from another site', async () => {
    const p = await freshPage();
    await p.goto(`${portal.url}/sharing/rest/oauth2/signout`);
    await p.getByRole('heading', { name: 'Signed out' }).waitFor();
    await p.screenshot({ path: '/tmp/meridian-ui-oauth-signed-out-page.png', fullPage: true });
    await p.route('https://elsewhere.example/', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<a id="out" href="${portal.url}/sharing/rest/oauth2/signout?client_id=arcgisonline&redirect_uri=${encodeURIComponent(`${portal.url}/home/oauth-callback`)}">sign out</a>`,
      }),
    );
    await signInThroughUi(p, portal.url, USER, PASSWORD);
    await p.goto('https://elsewhere.example/');
    await p.locator('#out').click();
    await p.getByRole('heading', { name: /Sign out of .*\?/ }).waitFor();
    await p.screenshot({ path: '/tmp/meridian-ui-oauth-signout-confirm.png', fullPage: true });
    assert.equal(await sessionOf(p), USER, 'a link from another site ends nothing by itself');
    await p.getByRole('button', { name: 'Sign out' }).click();
    await p.getByTestId('sign-in-form').waitFor();
    assert.equal(await sessionOf(p), 499);
  });
});
