/**
 * Organization › Settings › Security › Logins in Debian's Chromium: "New SAML login" for one
 * identity provider (metadata file, signed requests), the login shown, edited and deleted; a
 * federation registered; the service provider metadata downloaded and a key rollover; the
 * portal's OAuth sign-in page offering the login. Screenshots in /tmp/meridian-saml-ui-*.png.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { idpMetadata } from '../packages/server/src/saml/signin/test-saml.ts';
import { createTestIdp, type TestIdp } from '../packages/server/src/saml/validate/test-idp.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInOnPortalPage } from './ui-helpers.ts';

const LOGINS = '/home/organization/security/logins.html';
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/meridian-saml-ui-${name}.png`, fullPage: true });

describe('SAML logins page in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let idp: TestIdp;

  before(async () => {
    portal = await startTestPortal();
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({
      locale: 'en-US',
      acceptDownloads: true,
      viewport: { width: 1366, height: 900 },
    });
    await page.goto(`${portal.url}${LOGINS}`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    await page.waitForURL(/logins\.html/);
  });
  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  test('one identity provider from a metadata file: registered, shown, edited; SP metadata and key rollover', async () => {
    await page.getByText('No SAML login').waitFor();
    await page.getByRole('link', { name: 'Logins' }).waitFor();
    await shot(page, '1-empty');
    await page.getByRole('button', { name: 'New SAML login' }).click();
    await page.getByLabel('Name (shown as “Using your NAME account”)').fill('Example University');
    await page.getByLabel('From a file').check();
    await page.getByLabel('Metadata file').setInputFiles({
      name: 'idp.xml',
      mimeType: 'application/xml',
      buffer: Buffer.from(idpMetadata(idp)),
    });
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Enable signed request').check();
    await shot(page, '2-new-idp-form');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Registered the SAML login Example University.').waitFor();
    await page.getByText(idp.entityId).waitFor();
    assert.ok(await page.getByText('signed requests').isVisible());
    await shot(page, '3-idp-registered');
    const stored = await portal.call(
      '/sharing/rest/portals/self/idp',
      { token: await portal.token() },
      { method: 'GET' },
    );
    assert.equal(stored.idpMetadataFile, 'idp.xml');
    assert.equal(stored.supportSignedRequest, true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download service provider metadata' }).click(),
    ]);
    const xml = readFileSync(await download.path(), 'utf8');
    assert.match(xml, /AuthnRequestsSigned="true"/);
    assert.match(xml, /oauth2\/saml\/signin"/);

    await page.getByRole('button', { name: 'Add next key' }).click();
    await page.getByText('Next (published)').waitFor();
    await shot(page, '4-rollover');
    await page.getByRole('button', { name: 'Retire old key' }).click();
    await page.getByRole('button', { name: 'Retire old key' }).last().click();
    await page.getByText('Next (published)').waitFor({ state: 'detached' });
    assert.equal(await page.locator('table tbody tr').count(), 1);

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Name (shown as “Using your NAME account”)').fill('Example College');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved the SAML login Example College.').waitFor();
  });

  test("the portal's sign-in page offers the login", async () => {
    const other = await chromium.browser.newPage({ locale: 'en-US', viewport: { width: 800, height: 800 } });
    await other.goto(`${portal.url}/home/signin.html`);
    await other.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await other.waitForURL(/oauth2\/authorize/);
    const button = other.getByRole('link', { name: 'Using your Example College account' });
    await button.waitFor();
    assert.match(
      (await button.getAttribute('href'))!,
      /^\/sharing\/rest\/oauth2\/saml\/authorize\?oauth_state=/,
    );
    const w = await pageWidths(other);
    assert.ok(w.scrollWidth <= w.clientWidth, 'no horizontal scroll at 800 px');
    await other.screenshot({ path: '/tmp/meridian-saml-ui-5-sign-in-page.png', fullPage: true });
    await other.close();
  });

  test('deleted, then a federation registered (shown at 800 px)', async () => {
    await page.getByRole('button', { name: 'Delete login' }).click();
    await page.getByRole('button', { name: 'Delete login' }).last().click();
    await page.getByText('No SAML login').waitFor();
    await page.getByRole('button', { name: 'New SAML login' }).click();
    await page.getByLabel('A federation of identity providers').check();
    await page.getByLabel('Federation name').fill('Test Federation');
    await page.getByLabel('Federation metadata URL').fill('https://metadata.example.org/aggregate.xml');
    await page.getByLabel('Certificate that signs the federation metadata (PEM or Base64)').fill(idp.certPem);
    await page.getByLabel('MDQ service URL (optional)').fill('https://mdq.example.org/');
    await page.getByLabel('Discovery service URL (optional)').fill('https://wayf.example.org/WAYF');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('Registered the SAML login Test Federation.').waitFor();
    await page.getByText('https://metadata.example.org/aggregate.xml').waitFor();
    await page.getByText('https://mdq.example.org/').waitFor();
    await page.setViewportSize({ width: 800, height: 900 });
    const w = await pageWidths(page);
    assert.ok(w.scrollWidth <= w.clientWidth, 'no horizontal scroll at 800 px');
    await shot(page, '6-federation-800');
    // A wrong certificate is refused with what is wrong; the login stays.
    await page.getByRole('button', { name: 'Edit' }).click();
    assert.equal(
      await page.getByLabel('MDQ service URL (optional)').inputValue(),
      'https://mdq.example.org/',
    );
    await page
      .getByLabel('Certificate that signs the federation metadata (PEM or Base64)')
      .fill('not a certificate');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText(/not an X\.509 certificate/).waitFor();
    await shot(page, '7-bad-certificate');
    // With an MDQ service the aggregate may be left empty; the panel shows the MDQ service only.
    await page.getByLabel('Certificate that signs the federation metadata (PEM or Base64)').fill(idp.certPem);
    await page.getByLabel('Federation metadata URL').fill('');
    await page.getByLabel('MDQ service URL (optional)').fill('https://mdq.example.net/mdq');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved the SAML login Test Federation.').waitFor();
    await page.getByText('https://mdq.example.net/mdq').waitFor();
    assert.equal(await page.getByText('https://metadata.example.org/aggregate.xml').count(), 0);
    await shot(page, '8-federation-mdq');
  });
});
