/**
 * An application item's OAuth registration in Chromium, as its owner: register it (the secret
 * shown once, with a copy button and "you will not see it again"), see its client ID, type,
 * redirect URIs and referrers, edit them (a refused URI shows the portal's reason), reset the
 * secret (the old one stops verifying), and unregister it. Items that are not applications
 * show no registration panel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInThroughUi, until } from './ui-helpers.ts';

const USER = 'ari_dev';
const PASSWORD = 'Ari-passw0rd-long';

describe('app registration in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let token: string;
  let appItem = '';

  async function addItem(title: string, type: string, text?: string): Promise<string> {
    const r = await portal.call(`/sharing/rest/content/users/${USER}/addItem`, {
      token,
      title,
      type,
      ...(text ? { text } : {}),
    });
    assert.equal(r.success, true, JSON.stringify(r));
    return r.id as string;
  }

  const registered = () =>
    portal.call(`/sharing/rest/content/users/${USER}/items/${appItem}/registeredAppInfo`, { token });

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    const context = await chromium.browser.newContext({ locale: 'en-US' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.url });
    page = await context.newPage();
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token: await portal.token(),
      username: USER,
      password: PASSWORD,
      firstname: 'Ari',
      lastname: 'Dev',
      email: 'ari@example.org',
      role: 'org_publisher',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
    token = await portal.token(USER, PASSWORD);
    appItem = await addItem('Tide gauge viewer', 'Application');
    await signInThroughUi(page, portal.url, USER, PASSWORD);
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  test('a web map has no registration panel', async () => {
    const map = await addItem('Harbour map', 'Web Map', '{"operationalLayers":[]}');
    await page.goto(`${portal.url}/home/item.html?id=${map}`);
    await page.getByTestId('item-details').waitFor();
    assert.equal(await page.getByTestId('app-registration').count(), 0);
  });

  test('register: the secret is shown once with a copy button, then the registration', async () => {
    await page.goto(`${portal.url}/home/item.html?id=${appItem}`);
    const panel = page.getByTestId('app-registration');
    await panel.getByRole('button', { name: 'Register' }).click();
    const form = panel.getByTestId('app-registration-form');
    await form.getByLabel('App type').selectOption('browser');
    await form.getByLabel('Redirect URIs').fill('http://tides.example.com/callback');
    await form.getByRole('button', { name: 'Register' }).click();
    // A refused URI: the portal's reason, naming it.
    await panel.getByTestId('error-alert').filter({ hasText: 'http://tides.example.com/callback' }).waitFor();
    assert.match(
      (await panel.getByTestId('error-alert').textContent()) ?? '',
      /http is allowed only for localhost/,
    );
    await form.getByLabel('Redirect URIs').fill('https://tides.example.com/callback\nhttp://localhost:5173/');
    await form.getByLabel('Referrers').fill('https://tides.example.com');
    await form.getByRole('button', { name: 'Register' }).click();

    const secretBox = panel.getByTestId('client-secret');
    await secretBox.waitFor();
    assert.match((await secretBox.textContent()) ?? '', /you will not see it again/);
    const secret = (await panel.getByTestId('client-secret-value').textContent()) ?? '';
    assert.match(secret, /^[0-9a-f]{64}$/);
    await secretBox.getByRole('button', { name: 'Copy secret' }).click();
    await secretBox.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), secret);

    const clientId = (await panel.getByTestId('app-client-id').textContent()) ?? '';
    assert.match(clientId, /^[A-Za-z0-9]{16}$/);
    assert.equal((await panel.getByTestId('app-type').textContent()) ?? '', 'browser');
    assert.deepEqual(await panel.getByTestId('app-redirect-uris').locator('li').allTextContents(), [
      'https://tides.example.com/callback',
      'http://localhost:5173/',
    ]);
    assert.deepEqual(await panel.getByTestId('app-referrers').locator('li').allTextContents(), [
      'https://tides.example.com',
    ]);
    assert.equal(await portal.modules.oauth.apps.verifySecret(clientId, secret), true);
    assert.equal((await registered()).client_id, clientId);

    for (const width of [1366, 800]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `/tmp/meridian-ui-app-registration-${width}.png`, fullPage: true });
      const { scrollWidth, clientWidth } = await pageWidths(page);
      assert.ok(scrollWidth <= clientWidth, `${width} px: ${scrollWidth} > ${clientWidth}`);
    }
    await page.setViewportSize({ width: 1366, height: 768 });

    await secretBox.getByRole('button', { name: 'I have copied it' }).click();
    await secretBox.waitFor({ state: 'detached' });
    // Gone for good: a reload shows no secret.
    await page.reload();
    await panel.getByTestId('app-client-id').waitFor();
    assert.equal(await panel.getByTestId('client-secret').count(), 0);
    assert.ok(!(await page.content()).includes(secret));
  });

  test('edit the registration; reset the secret; unregister', async () => {
    await page.goto(`${portal.url}/home/item.html?id=${appItem}`);
    const panel = page.getByTestId('app-registration');
    const clientId = (await panel.getByTestId('app-client-id').textContent()) ?? '';
    await panel.getByRole('button', { name: 'Edit registration' }).click();
    const form = panel.getByTestId('app-registration-form');
    await form.getByLabel('App type').selectOption('native');
    await form.getByLabel('Redirect URIs').fill('com.example.tides:/oauth\nurn:ietf:wg:oauth:2.0:oob');
    await form.getByRole('button', { name: 'Save' }).click();
    await panel.getByText('Registration saved.').waitFor();
    // The panel reloads the registration after saving.
    await panel.getByTestId('app-type').filter({ hasText: 'native' }).waitFor();
    assert.equal((await panel.getByTestId('app-type').textContent()) ?? '', 'native');
    assert.deepEqual(await panel.getByTestId('app-redirect-uris').locator('li').allTextContents(), [
      'com.example.tides:/oauth',
      'urn:ietf:wg:oauth:2.0:oob',
    ]);

    const before = await portal.call(`/sharing/rest/oauth2/apps/${clientId}`, { token });
    assert.equal(before.appType, 'native');
    await panel.getByRole('button', { name: 'Reset secret' }).click();
    await panel.getByRole('button', { name: 'Yes, reset' }).click();
    await panel.getByTestId('client-secret').waitFor();
    const secret = (await panel.getByTestId('client-secret-value').textContent()) ?? '';
    assert.equal(await portal.modules.oauth.apps.verifySecret(clientId, secret), true);
    await page.screenshot({ path: '/tmp/meridian-ui-app-registration-reset.png', fullPage: true });

    await panel.getByRole('button', { name: 'Unregister' }).click();
    await panel.getByRole('button', { name: 'Yes, unregister' }).click();
    await panel.getByText('The app was unregistered.').waitFor();
    await panel.getByRole('button', { name: 'Register' }).waitFor();
    assert.equal(await panel.getByTestId('client-secret').count(), 0);
    assert.equal((await registered()).error?.messageCode, 'oauth.app_not_found');
    await until(async () => !(await portal.modules.oauth.apps.verifySecret(clientId, secret)));
  });
});
