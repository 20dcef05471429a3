/**
 * Organization › Settings › Servers in Debian's Chromium against a real portal: the page with
 * no servers; Add server (the admin URL follows the URL) aimed at a real HTTPS site with its
 * own self-signed certificate → the portal's untrusted-certificate diagnosis with the presented
 * chain and the fingerprint → "Trust this certificate … and federate" re-submits with that
 * fingerprint → the next refusal (the site is no GIS server) is shown with the portal's
 * message. Screenshots: /tmp/meridian-servers-ui-*.png.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type RunningServer, startHttpsServer } from '../packages/server/src/pki/diagnose/test-servers.ts';
import { generateCertificate } from '../packages/server/src/pki/generate-certificate.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { signInOnPortalPage } from './ui-helpers.ts';

const SERVERS = '/home/organization/settings/servers.html';

/** "AB:CD:…" and "abcd…" name the same fingerprint. */
const hex = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

describe('federated servers page in Chromium', () => {
  let portal: TestPortal;
  let site: RunningServer;
  let sitePem: string;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  const violations: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/meridian-servers-ui-${name}.png`, fullPage: true });

  before(async () => {
    const selfSigned = await generateCertificate({
      alias: 'not-a-gis-server',
      cn: 'localhost',
      org: 'Partner Agency',
      san: ['localhost', '127.0.0.1'],
      keyAlg: 'EC',
      validityDays: 90,
    });
    sitePem = selfSigned.certPem;
    site = await startHttpsServer({ key: selfSigned.keyPem, cert: selfSigned.certPem }, (_req, res) =>
      res.end('a web site, not a GIS server'),
    );
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(15_000);
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
  });

  after(async () => {
    await chromium?.close();
    await site?.close();
    await portal?.close();
  });

  test('sign in and open Settings › Servers: none yet', async () => {
    await page.goto(`${portal.url}${SERVERS}`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    await page.getByTestId('no-servers').waitFor();
    const settingsNav = page.getByRole('navigation', { name: 'Settings' });
    assert.deepEqual(await settingsNav.getByRole('link').allTextContents(), ['General', 'Servers']);
  });

  test('Add server: the untrusted certificate is diagnosed, with the presented chain and its fingerprint', async () => {
    const root = `https://localhost:${site.port}/arcgis`;
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Server URL').fill(root);
    assert.equal(await page.getByLabel('Administration URL').inputValue(), `${root}/admin`);
    await page.getByLabel('Administrator username').fill('admin');
    await page.getByLabel('Password').fill('some-password');
    await page.getByRole('button', { name: 'Federate' }).click();
    const untrusted = page.getByTestId('untrusted-certificate');
    await untrusted.waitFor();
    const fingerprint = hex(new X509Certificate(sitePem).fingerprint256);
    assert.equal(hex((await page.getByTestId('fingerprint-to-confirm').textContent()) ?? ''), fingerprint);
    const chain = page.getByTestId('presented-chain');
    const chainText = (await chain.textContent()) ?? '';
    assert.match(chainText, /Subject.*CN=localhost.*Issuer.*Expires.*SHA-256 fingerprint/s);
    assert.ok(hex(chainText).includes(fingerprint));
    assert.ok(
      ((await untrusted.locator('.diagnosis').textContent()) ?? '').length > 20,
      'a diagnosis in words',
    );
    await shot('1-untrusted');
    const confirm = page.getByRole('button', {
      name: /^Trust this certificate — SHA-256 fingerprint [0-9A-F:]+ — and federate$/i,
    });
    assert.equal(await confirm.isDisabled(), true, 'not before the fingerprint is checked');
    await page.getByLabel(/I have checked this fingerprint/).check();
    await confirm.click();
    // Trusted, the portal gets further: the site is no GIS server, and the UI says so.
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /GIS server|rest\/info|ArcGIS/i);
    assert.equal(await page.getByTestId('untrusted-certificate').count(), 0);
    await shot('2-not-a-gis-server');
    assert.equal(await page.getByTestId('server-row').count(), 0, 'nothing federated');
    assert.deepEqual(violations, []);
  });
});
