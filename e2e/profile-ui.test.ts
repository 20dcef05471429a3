/**
 * My profile in Chromium against a real portal: a user changes their own name and email; a
 * wrong current password is refused and shown; a password change ends every session, this
 * browser's too (signing in again with the new password comes back to My profile), and the old
 * password and older API tokens stop working; "Sign out" ends only this browser's session, "Sign out everywhere" ends them all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { signInOnPortalPage, signInThroughUi } from './ui-helpers.ts';

const USER = 'pat_user';
const FIRST_PASSWORD = 'Pat-passw0rd-one';
const SECOND_PASSWORD = 'Pat-passw0rd-two';

describe('my profile in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  /** The same user in another browser (another device). */
  let other: Page;

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US' });
    other = await chromium.browser.newPage({ locale: 'en-US' });
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token: await portal.token(),
      username: USER,
      password: FIRST_PASSWORD,
      firstname: 'Pat',
      lastname: 'Smith',
      email: 'pat@example.org',
      role: 'org_user',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  /** The user as an administrator sees it. */
  async function userOnServer() {
    return portal.call(
      `/sharing/rest/community/users/${USER}`,
      { token: await portal.token() },
      { method: 'GET' },
    );
  }

  /** Whether a token still works (community/self answers the user, not 498). */
  async function tokenWorks(token: string): Promise<boolean> {
    const self = await portal.call('/sharing/rest/community/self', { token }, { method: 'GET' });
    if (self.username === USER) return true;
    assert.equal(self.error?.code, 498, JSON.stringify(self));
    return false;
  }

  /** Reloads a page and tells whether it is still signed in (or was sent to the sign-in page). */
  async function stillSignedIn(p: Page): Promise<boolean> {
    await p.goto(`${portal.url}/home/profile.html`);
    const form = p.getByTestId('sign-in-form');
    const profile = p.getByRole('heading', { name: 'My profile', level: 1 });
    await form.or(profile).waitFor();
    return profile.isVisible();
  }

  test('the header links to My profile, where the user changes their name and email', async () => {
    await signInThroughUi(page, portal.url, USER, FIRST_PASSWORD);
    await page.getByTestId('signed-in-user').click();
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Name and email' });
    assert.equal(await form.getByLabel('First name').inputValue(), 'Pat');
    await form.getByLabel('First name').fill('Patricia');
    await form.getByLabel('Last name').fill('Quinn-Smith');
    await form.getByLabel('Email').fill('patricia@maps.example.org');
    await form.getByLabel('About me').fill('Hydrologist, Thames region.');
    await form.getByRole('button', { name: 'Save profile' }).click();
    await form.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();

    const user = await userOnServer();
    assert.equal(user.firstName, 'Patricia');
    assert.equal(user.lastName, 'Quinn-Smith');
    assert.equal(user.fullName, 'Patricia Quinn-Smith');
    assert.equal(user.email, 'patricia@maps.example.org');
    assert.equal(user.description, 'Hydrologist, Thames region.');

    // What the page shows after a reload comes from the server.
    await page.reload();
    assert.equal(
      await page.getByRole('form', { name: 'Name and email' }).getByLabel('Email').inputValue(),
      'patricia@maps.example.org',
    );
  });

  test('a wrong current password is refused with a message, and nothing changes', async () => {
    const form = page.getByRole('form', { name: 'Password' });
    await form.getByLabel('Current password').fill('not-my-Passw0rd');
    await form.getByLabel('New password', { exact: true }).fill(SECOND_PASSWORD);
    await form.getByLabel('Confirm new password').fill(SECOND_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /current password/i);
    // Still signed in with the old password, which still works.
    assert.equal(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible(), true);
    assert.ok(await portal.token(USER, FIRST_PASSWORD));
  });

  test('a password change signs out everything; signing in with the new password comes back', async () => {
    const oldToken = await portal.token(USER, FIRST_PASSWORD);
    await signInThroughUi(other, portal.url, USER, FIRST_PASSWORD);
    assert.equal(await tokenWorks(oldToken), true);

    await page.goto(`${portal.url}/home/profile.html`);
    const form = page.getByRole('form', { name: 'Password' });
    await form.getByLabel('Current password').fill(FIRST_PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill(SECOND_PASSWORD);
    await form.getByLabel('Confirm new password').fill(SECOND_PASSWORD);
    await form.getByRole('button', { name: 'Change password' }).click();
    // The change ended this browser's session too: the sign-in page says so, and signing in
    // with the new password comes back to My profile.
    await page.getByTestId('sign-in-form').waitFor();
    await page.getByRole('status').filter({ hasText: 'Your password was changed' }).waitFor();
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, USER, SECOND_PASSWORD);
    await page.getByRole('heading', { name: 'My profile', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/home/profile.html');

    // This browser holds a new, working session: a reload keeps the user on the page, and a
    // change that needs the CSRF token of that session still works.
    assert.equal(await stillSignedIn(page), true);
    await page.getByRole('form', { name: 'Name and email' }).getByLabel('About me').fill('Hydrologist.');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').filter({ hasText: 'Profile saved.' }).waitFor();
    assert.equal((await userOnServer()).description, 'Hydrologist.');

    // Everything issued before the change is revoked, and only the new password signs in.
    assert.equal(await tokenWorks(oldToken), false);
    assert.equal(await stillSignedIn(other), false);
    await assert.rejects(portal.token(USER, FIRST_PASSWORD));
    assert.ok(await portal.token(USER, SECOND_PASSWORD));
  });

  test('"Sign out" ends only this browser session', async () => {
    const token = await portal.token(USER, SECOND_PASSWORD);
    await signInThroughUi(other, portal.url, USER, SECOND_PASSWORD);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByTestId('sign-in-form').waitFor();
    assert.equal(await stillSignedIn(page), false);
    assert.equal(await stillSignedIn(other), true);
    assert.equal(await tokenWorks(token), true);
  });

  test('"Sign out everywhere" ends every session and token of the user', async () => {
    const token = await portal.token(USER, SECOND_PASSWORD);
    await signInThroughUi(page, portal.url, USER, SECOND_PASSWORD);
    await page.goto(`${portal.url}/home/profile.html`);
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('button', { name: 'Yes, sign out everywhere' }).click();
    await page.getByTestId('sign-in-form').waitFor();
    await page.getByRole('status').filter({ hasText: 'signed out on every device' }).waitFor();
    assert.equal(await tokenWorks(token), false);
    assert.equal(await stillSignedIn(other), false);
    assert.equal(await stillSignedIn(page), false);
  });
});
