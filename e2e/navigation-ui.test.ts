/**
 * Navigation of the web UI in Chromium against a real portal: the addresses under /home/ the
 * portal has always used, the sign-in guard and its `next` (never another site), links that
 * stay in the page, back and forward with query parameters, "Page not found", document titles,
 * and a session that expires while a page is open.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { signInOnPortalPage, signInThroughUi } from './ui-helpers.ts';

const USER = 'nina_user';
const PASSWORD = 'Nina-passw0rd';

describe('navigation in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let itemId = '';

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage();
    const admin = await portal.token();
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token: admin,
      username: USER,
      password: PASSWORD,
      firstname: 'Nina',
      lastname: 'Navigator',
      email: 'nina@example.org',
      role: 'org_user',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
    const token = await portal.token(USER, PASSWORD);
    for (const title of ['Weir levels', 'Weir gauges', 'Lock keepers']) {
      const added = await portal.call(`/sharing/rest/content/users/${USER}/addItem`, {
        token,
        title,
        type: 'Web Map',
        tags: 'river',
      });
      assert.equal(added.success, true, JSON.stringify(added));
      if (title === 'Lock keepers') itemId = added.id;
    }
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  const path = () => new URL(page.url()).pathname + new URL(page.url()).search;

  test('a signed-out visitor of a page signs in and lands on that page, query included', async () => {
    await page.goto(`${portal.url}/home/item.html?id=${itemId}`);
    await page.getByTestId('sign-in-form').waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, '/home/signin.html');
    assert.equal(url.searchParams.get('next'), `/home/item.html?id=${itemId}`);
    assert.equal(await page.title(), 'Sign in · Meridian');
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, USER, PASSWORD);
    await page.getByRole('heading', { name: 'Lock keepers', level: 1 }).waitFor();
    assert.equal(path(), `/home/item.html?id=${itemId}`);
    assert.equal(await page.title(), 'Item · Meridian');
    // The UI's sign-in page gave way to the portal's (replaced, not stacked): history holds the
    // new tab's blank page, the portal's sign-in page (its form posts) and this page.
    assert.equal(await page.evaluate('history.length'), 3);
    await page.goBack();
    assert.equal(new URL(page.url()).pathname, '/sharing/rest/oauth2/authorize');
  });

  test('/home/ and /home/index.html open My content; a signed-in visitor of signin.html goes on', async () => {
    for (const start of ['/home/', '/home/index.html', '/home/signin.html']) {
      await page.goto(`${portal.url}${start}`);
      await page.getByRole('heading', { name: 'My content', level: 1 }).waitFor();
      assert.equal(path(), '/home/content.html', `from ${start}`);
    }
    await page.goto(`${portal.url}/home/signin.html?next=${encodeURIComponent('/home/groups.html')}`);
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    assert.equal(path(), '/home/groups.html');
  });

  test('links change the page without loading the document again; back and forward keep the query', async () => {
    await page.goto(`${portal.url}/home/content.html`);
    await page.getByRole('heading', { name: 'My content', level: 1 }).waitFor();
    // A marker on window survives only in-app navigation, never a document load.
    await page.evaluate('window.__sameDocument = true');
    const sameDocument = () => page.evaluate('window.__sameDocument === true');

    await page.getByRole('searchbox', { name: 'Search' }).fill('weir');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('search-summary').waitFor();
    assert.equal(path(), '/home/search.html?q=weir');
    await page.getByRole('link', { name: 'Weir levels' }).waitFor();

    await page.getByRole('searchbox', { name: 'Search' }).fill('lock');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Lock keepers' }).click();
    await page.getByRole('heading', { name: 'Lock keepers', level: 1 }).waitFor();
    assert.equal(path(), `/home/item.html?id=${itemId}`);
    assert.equal(await sameDocument(), true, 'the search and item pages opened in the same document');

    await page.goBack();
    await page.getByRole('link', { name: 'Lock keepers' }).waitFor();
    assert.equal(path(), '/home/search.html?q=lock');
    assert.equal(await page.getByRole('searchbox', { name: 'Search' }).inputValue(), 'lock');
    await page.goBack();
    await page.getByRole('link', { name: 'Weir gauges' }).waitFor();
    assert.equal(path(), '/home/search.html?q=weir');
    assert.equal(await page.getByLabel('Words').inputValue(), 'weir');
    assert.equal(await page.getByRole('link', { name: 'Lock keepers' }).count(), 0);
    await page.goForward();
    await page.getByRole('link', { name: 'Lock keepers' }).waitFor();
    assert.equal(path(), '/home/search.html?q=lock');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    assert.equal(
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Groups' })
        .getAttribute('aria-current'),
      'page',
    );
    assert.equal(
      await page.getByRole('link', { name: 'Groups' }).first().getAttribute('href'),
      '/home/groups.html',
    );
    assert.equal(await sameDocument(), true);
    assert.equal(await page.title(), 'Groups · Meridian');
  });

  test('an address that is no page says so, and links back to My content', async () => {
    for (const missing of ['/home/nowhere.html', '/home/organization/unknown.html?x=1']) {
      await page.goto(`${portal.url}${missing}`);
      await page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
      assert.equal(path(), missing, 'the address stays as typed');
      assert.equal(await page.title(), 'Page not found · Meridian');
    }
    await page.getByRole('main').getByRole('link', { name: 'My content' }).click();
    await page.getByRole('heading', { name: 'My content', level: 1 }).waitFor();
  });

  test('a page reached by a link starts at the top', async () => {
    await page.setViewportSize({ width: 800, height: 300 });
    await page.goto(`${portal.url}/home/content.html`);
    const row = page.getByRole('row', { name: /Lock keepers/ });
    await row.waitFor();
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    const scrolled = Number(await page.evaluate('window.scrollY'));
    assert.ok(scrolled > 100, `the page scrolls (${scrolled} px)`);
    await row.getByRole('link', { name: 'Lock keepers' }).click();
    await page.getByRole('heading', { name: 'Lock keepers', level: 1 }).waitFor();
    assert.equal(Number(await page.evaluate('window.scrollY')), 0);
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  test('next never leads to another site', async () => {
    await page.context().clearCookies();
    for (const next of [
      'https://evil.example/home/',
      '//evil.example/home/',
      '/home//evil.example/',
      '/elsewhere',
    ]) {
      await page.goto(`${portal.url}/home/signin.html?next=${encodeURIComponent(next)}`);
      await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
      await signInOnPortalPage(page, USER, PASSWORD);
      await page.getByRole('heading', { name: 'My content', level: 1 }).waitFor();
      assert.equal(page.url(), `${portal.url}/home/content.html`, `next=${next}`);
      await page.context().clearCookies();
    }
  });

  test('a session that ends on the server sends the user to sign in, and back to the page', async () => {
    await signInThroughUi(page, portal.url, USER, PASSWORD);
    await page.goto(`${portal.url}/home/content.html`);
    await page.getByRole('row', { name: /Lock keepers/ }).waitFor();
    // An administrator resets the password: every session of the user ends.
    const reset = await portal.call(`/portaladmin/security/users/${USER}/update`, {
      token: await portal.token(),
      password: PASSWORD,
    });
    assert.equal(reset.status, 'success', JSON.stringify(reset));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByTestId('sign-in-form').waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, '/home/signin.html');
    assert.equal(url.searchParams.get('next'), '/home/groups.html');
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, USER, PASSWORD);
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    assert.equal(path(), '/home/groups.html');
  });
});
