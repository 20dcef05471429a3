/**
 * Certificates issued by the portal's own CA live long enough that the expiry warning
 * (tls.expiryWarningDays) appears only when automatic renewal has failed: a freshly started
 * portal shows no warning in its health check, in its own diagnosis, or in the web UI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchTrustingChromium } from '../../../../e2e/browser.ts';
import { signInOnPortalPage } from '../../../../e2e/ui-helpers.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../../test/portal.ts';
import { servedCertificate } from '../pki/routes/test-support.ts';
import { loadPortalConfig } from '../roles/portal.ts';

const DAY = 86_400_000;
const defaults = loadPortalConfig({ env: {} }).tls;

describe('portal CA certificates: renewed long before the expiry warning', () => {
  let portal: TestPortal;
  before(async () => {
    // No tls.* override: the defaults are what is under test.
    portal = await startTestPortal();
  });
  after(() => portal.close());

  test('the defaults leave two weeks of renewal attempts before the warning window', () => {
    const { serverCertDays, renewBeforeDays, expiryWarningDays } = defaults;
    assert.ok(renewBeforeDays <= serverCertDays / 2, 'the renewal window is not cut to half the lifetime');
    assert.ok(
      renewBeforeDays - expiryWarningDays >= 14,
      `renewal starts ${renewBeforeDays} days before expiry, the warning ${expiryWarningDays} days before`,
    );
  });

  test('the served certificate has the full lifetime, well outside the warning window', async () => {
    const served = await servedCertificate(portal.httpsPort);
    const daysLeft = (Date.parse(served.validTo) - Date.now()) / DAY;
    assert.ok(
      Math.abs(daysLeft - defaults.serverCertDays) < 1,
      `${daysLeft.toFixed(1)} days left, not ${defaults.serverCertDays}`,
    );
    assert.ok(daysLeft > defaults.renewBeforeDays + 1);
  });

  test('a fresh portal: the health check and its own diagnosis carry no warning', async () => {
    const health = await portal.call('/portaladmin/healthCheck', { token: await portal.token() });
    assert.deepEqual(health, { status: 'ok', warnings: [] });
    const self = await portal.modules.pki.outbound.diagnose(portal.url);
    assert.equal(self.code, 'ok', self.message);
    assert.deepEqual(self.warnings, [], 'another portal checking this one is not told it expires soon');
  });

  test('renewal comes first: not due before renewBeforeDays, and due with more days left than the warning window', async () => {
    const cert = portal.modules.tls.web.certificate!;
    assert.equal(
      await portal.modules.tls.web.renewIfDue(cert.notAfter - (defaults.renewBeforeDays + 1) * DAY),
      false,
    );
    const due = cert.notAfter - (defaults.renewBeforeDays - 1) * DAY;
    assert.ok((cert.notAfter - due) / DAY > defaults.expiryWarningDays);
    assert.equal(await portal.modules.tls.web.renewIfDue(due), true);
    assert.notEqual(portal.modules.tls.web.certificate!.certChainPem, cert.certChainPem);
  });
});

describe('portal CA certificates: the web UI of a fresh portal shows no certificate warning', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US' });
  });
  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  /** Opens the certificates page and waits for the health check the banner shows. */
  async function openCertificates(): Promise<unknown> {
    const health = page.waitForResponse((r) => r.url().includes('/portaladmin/healthCheck'));
    await page.goto(`${portal.url}/home/organization/security/certificates.html`);
    // The UI knows whether it is signed in only once its session probe answers.
    const signIn = page.getByTestId('sign-in-form');
    await signIn.or(page.getByTestId('signed-in-user')).first().waitFor();
    if (await signIn.isVisible()) {
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    }
    const answer = await (await health).json();
    await page.getByTestId('certificate-row-portal').waitFor();
    return answer;
  }

  test('no banner on a fresh portal; a certificate close to expiry does raise it', async () => {
    assert.deepEqual(await openCertificates(), { status: 'ok', warnings: [] });
    assert.equal(await page.getByTestId('certificate-warnings').count(), 0);

    // The banner is there when there is something to say: a certificate that will not be renewed.
    const token = await portal.token();
    const gen = await portal.call('/portaladmin/security/sslCertificates/generate', {
      token,
      alias: 'short-lived',
      cn: 'short.example.org',
      validity: 10,
    });
    assert.equal(gen.status, 'success');
    await openCertificates();
    const banner = page.getByTestId('certificate-warnings');
    await banner.waitFor();
    assert.equal(await banner.getByTestId('certificate-warning-short-lived').count(), 1);
    assert.equal(await banner.getByTestId('certificate-warning-portal').count(), 0);
  });
});
