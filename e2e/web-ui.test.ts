/**
 * The web UI in Debian's Chromium through playwright-core, against a real portal over HTTPS
 * whose CA the browser trusts: sign in, create a group, add an item, share it to the group,
 * find it through search; an administrator changes a user's role; markup stays text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { signInOnPortalPage } from './ui-helpers.ts';

describe('web UI in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage();
    const token = await portal.token();
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token,
      username: 'bob_user',
      password: 'Bob-passw0rd',
      firstname: 'Bob',
      lastname: 'Builder',
      email: 'bob@example.org',
      role: 'org_user',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  test('sign in with a built-in account', async () => {
    await page.goto(`${portal.url}/home/`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    // The portal's OAuth sign-in page takes the password; a wrong one is shown there.
    await signInOnPortalPage(page, 'admin', 'wrong-password-1');
    await page.getByRole('alert').waitFor();
    await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'meridian_session');
    assert.ok(session, 'a session cookie is set');
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Strict');
  });

  test('create a group, add an item, share it to the group, find it through search', async () => {
    await page.goto(`${portal.url}/home/groups.html`);
    await page.getByLabel('Group name').fill('River wardens');
    await page.getByLabel('Tags').fill('rivers');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('link', { name: 'River wardens' }).first().waitFor();

    await page.goto(`${portal.url}/home/content.html`);
    const title = 'Thames <b>flood</b> extent';
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Type').selectOption('Web Map');
    await page.getByLabel('Tags').fill('flood, thames');
    await page.getByRole('button', { name: 'Add item' }).click();
    await page.getByRole('status').getByRole('link', { name: 'Open the item' }).waitFor();

    await page
      .getByRole('row', { name: /Thames/ })
      .getByRole('button', { name: 'Share' })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('River wardens').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const token = await portal.token();
    const found = await portal.call('/sharing/rest/search', { q: 'thames', token }, { method: 'GET' });
    assert.equal(found.total, 1);
    assert.equal(found.results[0].access, 'shared');

    await page.getByRole('searchbox', { name: 'Search' }).fill('thames');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('search-summary').waitFor();
    const link = page.getByRole('link', { name: title });
    await link.waitFor();
    // Markup in a title is shown as text, never interpreted.
    assert.equal(await page.locator('b', { hasText: 'flood' }).count(), 0);
    assert.equal(await link.textContent(), title);
  });

  test('an administrator changes a user role on the Organization page', async () => {
    await page.getByRole('link', { name: 'Organization' }).click();
    await page.getByLabel('Role for bob_user').selectOption('org_publisher');
    await page
      .getByRole('row', { name: /bob_user/ })
      .getByRole('button', { name: 'Change role' })
      .click();
    await page.getByText('Role of bob_user changed to Publisher.').waitFor();
    const token = await portal.token();
    const bob = await portal.call('/sharing/rest/community/users/bob_user', { token }, { method: 'GET' });
    assert.equal(bob.role, 'org_publisher');
  });

  test('Members and My content page past their first 100 rows', async () => {
    const token = await portal.token();
    const names = Array.from({ length: 100 }, (_, i) => `member_${String(i).padStart(3, '0')}`);
    for (let i = 0; i < names.length; i += 5)
      await Promise.all(
        names.slice(i, i + 5).map(async (username) => {
          const r = await portal.call('/portaladmin/security/users/createUser', {
            token,
            username,
            password: 'Member-passw0rd',
            firstname: 'Member',
            lastname: username,
            email: `${username}@example.org`,
            role: 'org_user',
          });
          assert.equal(r.status, 'success', JSON.stringify(r));
        }),
      );
    const seen = async () =>
      page
        .getByTestId('user-table')
        .getByRole('row')
        .evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    await page.goto(`${portal.url}/home/organization.html`);
    const range = page.getByTestId('pager-range');
    await range.filter({ hasText: /^1–100 of 102$/ }).waitFor();
    const first = await seen();
    await page.getByRole('button', { name: 'Next' }).click();
    await range.filter({ hasText: /^101–102 of 102$/ }).waitFor();
    const second = await seen();
    const listed = [...first, ...second].join('\n');
    for (const u of ['admin', 'bob_user', ...names]) assert.ok(listed.includes(u), `${u} is on a page`);

    const titles = Array.from({ length: 101 }, (_, i) => `Paged item ${String(i).padStart(3, '0')}`);
    const ids: string[] = [];
    for (let i = 0; i < titles.length; i += 10)
      await Promise.all(
        titles.slice(i, i + 10).map(async (title) => {
          const r = await portal.call('/sharing/rest/content/users/admin/addItem', {
            token,
            title,
            type: 'Web Mapping Application',
            url: 'https://example.org/app',
          });
          assert.equal(r.success, true, JSON.stringify(r));
          ids.push(r.id);
        }),
      );
    await page.goto(`${portal.url}/home/content.html`);
    await range.filter({ hasText: /^1–100 of 10\d$/ }).waitFor();
    const total = Number((await range.textContent())?.split(' of ')[1]);
    await page.getByRole('button', { name: 'Next' }).click();
    await range.filter({ hasText: new RegExp(`^101–${total} of ${total}$`) }).waitFor();
    await page.getByRole('button', { name: 'Previous' }).click();
    await range.filter({ hasText: /^1–100 of / }).waitFor();

    // The group's page lists what is shared with it, page by page too.
    const groups = await portal.call(
      '/sharing/rest/community/groups',
      { q: 'title:"River wardens"', token },
      { method: 'GET' },
    );
    const groupId = groups.results?.[0]?.id as string;
    assert.ok(groupId, JSON.stringify(groups));
    const shared = await portal.call('/sharing/rest/content/users/admin/shareItems', {
      token,
      items: ids.join(','),
      groups: groupId,
    });
    assert.equal(shared.results?.length, 101, JSON.stringify(shared).slice(0, 300));
    await page.goto(`${portal.url}/home/group.html?id=${groupId}`);
    await range.filter({ hasText: /^1–100 of 102$/ }).waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await range.filter({ hasText: /^101–102 of 102$/ }).waitFor();
  });

  test('a group picker offers every group of the organization, past the first 100', async () => {
    const token = await portal.token();
    const titles = Array.from({ length: 101 }, (_, i) => `Zone ${String(i).padStart(3, '0')}`);
    for (let i = 0; i < titles.length; i += 10)
      await Promise.all(
        titles.slice(i, i + 10).map(async (title) => {
          const r = await portal.call('/sharing/rest/community/createGroup', { token, title, access: 'org' });
          assert.ok(r.group?.id, JSON.stringify(r));
        }),
      );
    await page.goto(`${portal.url}/home/organization/settings/collaborations.html`);
    await page.getByRole('button', { name: 'Create collaboration' }).click();
    const picker = page.getByLabel('Linked group');
    await picker.locator('option', { hasText: 'Zone 100' }).waitFor({ state: 'attached' });
    const options = await picker.locator('option').allTextContents();
    for (const t of [...titles, 'River wardens']) assert.ok(options.includes(t), `${t} is offered`);
  });
});
