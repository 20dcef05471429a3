/**
 * A federation login in Debian's Chromium, over a 10,000-entity aggregate: the built-in
 * chooser (search as you type, pick, land at the chosen IdP's SSO URL with an AuthnRequest; the
 * last choice offered again; no CSP violation), and the logins page's federation metadata
 * panel with its Refresh (a job with progress; a failure shown, the metadata in use kept).
 * The IdPs' hosts are the test's: the browser's requests to them are answered by the test.
 * Screenshots in /tmp/meridian-saml-discovery-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { entityIdOf } from '../packages/server/src/federations/test-aggregate.ts';
import {
  registerTestFederation,
  type TestFederation,
} from '../packages/server/src/saml/discovery/test-federation.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInOnPortalPage } from './ui-helpers.ts';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/meridian-saml-discovery-${name}.png`, fullPage: true });

describe('SAML discovery in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let fed: TestFederation;

  before(async () => {
    portal = await startTestPortal();
    fed = await registerTestFederation(portal, await portal.token(), { entities: 10_000 });
    chromium = await launchTrustingChromium(portal.caCertPem);
  });
  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  test('the chooser: type part of a name, pick, land at the IdP with an AuthnRequest; the last choice remembered', async () => {
    const context = await chromium.browser.newContext({
      locale: 'en-US',
      viewport: { width: 800, height: 900 },
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const landed: string[] = [];
    await page.route('https://uni1234.example.edu/**', (route) => {
      landed.push(route.request().url());
      return route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<h1>Test IdP of University 1234</h1>',
      });
    });
    const callback = `${portal.kernel.baseUrl()}/home/oauth-callback`;
    await page.goto(
      `${portal.url}/sharing/rest/oauth2/authorize?client_id=arcgisonline&response_type=token&redirect_uri=${encodeURIComponent(callback)}`,
    );
    await page.getByRole('link', { name: 'Using your Example Federation account' }).click();
    await page.getByRole('heading', { name: 'Choose your institution' }).waitFor();
    await page.getByText('7500 institutions').waitFor();
    await shot(page, '1-chooser');

    const t0 = performance.now();
    await page
      .getByLabel('Institution name, or your email domain')
      .pressSequentially('zuri 1234', { delay: 30 });
    await page.getByText('1 institution matches.').waitFor();
    console.log(`typed to one result: ${(performance.now() - t0).toFixed(0)} ms (typing included)`);
    const results = page.locator('#results button.idp');
    assert.equal(await results.count(), 1);
    assert.equal(await results.first().getAttribute('value'), entityIdOf(1234));
    await page.getByText('uni1234.example.edu, mail.uni1234.example.edu').waitFor();
    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, 'no horizontal scroll at 800 px');
    await shot(page, '2-typed');

    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().startsWith('https://uni1234.example.edu/')),
      results.first().click(),
    ]);
    const sso = new URL(request.url());
    assert.equal(
      `${sso.origin}${sso.pathname}`,
      'https://uni1234.example.edu/idp/profile/SAML2/Redirect/SSO',
    );
    const xml = inflateRawSync(Buffer.from(sso.searchParams.get('SAMLRequest')!, 'base64')).toString();
    assert.match(xml, /<samlp:AuthnRequest /);
    assert.match(xml, /Destination="https:\/\/uni1234\.example\.edu\/idp\/profile\/SAML2\/Redirect\/SSO/);
    assert.ok(sso.searchParams.get('RelayState'), 'RelayState: the OAuth transaction');
    await page.getByText('Test IdP of University 1234').waitFor();
    assert.equal(landed.length, 1);

    // Again: the last choice is offered first.
    await page.goto(
      `${portal.url}/sharing/rest/oauth2/authorize?client_id=arcgisonline&response_type=token&redirect_uri=${encodeURIComponent(callback)}`,
    );
    await page.getByRole('link', { name: 'Using your Example Federation account' }).click();
    await page.getByText('Last used in this browser').waitFor();
    await page.locator('#last-list button.idp', { hasText: 'University 1234 & Partners' }).waitFor();
    await shot(page, '3-last-choice');
    assert.deepEqual(violations, []);
    await context.close();
  });

  test('the logins page: the federation’s metadata and Refresh with its progress; a failure keeps what is in use', async () => {
    const page = await chromium.browser.newPage({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    await page.goto(`${portal.url}/home/organization/security/logins.html`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(/logins\.html/);
    const panel = page.getByTestId('federation-status');
    await panel.getByText('7500 identity providers (of 10000 entities)').waitFor();
    await shot(page, '4-logins-federation');
    await panel.getByRole('button', { name: 'Refresh' }).click();
    await panel.getByText(/, failed$/).waitFor();
    await panel.getByTestId('federation-error').waitFor();
    await panel.getByRole('button', { name: 'Refresh' }).waitFor();
    assert.match(
      (await panel.getByTestId('federation-error').textContent()) ?? '',
      /The last refresh failed \([a-z_.]+\)/,
    );
    await panel.getByText('7500 identity providers (of 10000 entities)').waitFor();
    await shot(page, '5-refresh-failed');
    const f = await fed.federations.get(fed.federationId);
    assert.equal(f.identityProviders, 7500);
    assert.ok(f.lastError);
    await page.close();
  });
});
