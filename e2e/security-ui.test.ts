/**
 * Organization › Settings › Security in Debian's Chromium against a real portal over HTTPS:
 * the default certificate is listed as in use; an administrator generates a certificate signed
 * by the portal CA and makes it the web server certificate (new TLS connections are served it);
 * imports a CA into the trust store; checks a self-signed site, confirms its fingerprint, trusts
 * it, and the next check is OK.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import type { Browser, Page } from 'playwright-core';
import { type RunningServer, startHttpsServer } from '../packages/server/src/pki/diagnose/test-servers.ts';
import { generateCertificate } from '../packages/server/src/pki/generate-certificate.ts';
import { openssl, tempDir } from '../packages/server/src/pki/test-helpers.ts';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { signInOnPortalPage } from './ui-helpers.ts';

const CERTIFICATES = '/home/organization/security/certificates.html';
const NEW_CN = 'second.meridian.test';

/** "AB:CD:…" and "abcd…" name the same fingerprint. */
const hex = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

async function until(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The subject CN of the certificate a fresh TLS connection to the portal is served. */
function servedCommonName(portal: TestPortal): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: portal.httpsPort, servername: 'localhost', ca: portal.caCertPem },
      () => {
        const cn = socket.getPeerCertificate().subject?.CN;
        socket.end();
        resolve(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
      },
    );
    socket.on('error', reject);
  });
}

describe('security pages in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let site: RunningServer;
  let sitePem: string;

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US', acceptDownloads: true });
    const selfSigned = await generateCertificate({
      alias: 'partner-site',
      cn: 'localhost',
      org: 'Partner Agency',
      san: ['localhost', '127.0.0.1'],
      keyAlg: 'EC',
      validityDays: 90,
    });
    sitePem = selfSigned.certPem;
    site = await startHttpsServer({ key: selfSigned.keyPem, cert: selfSigned.certPem }, (_req, res) =>
      res.end('partner'),
    );
  });

  after(async () => {
    await site?.close();
    await chromium?.close();
    await portal?.close();
  });

  async function api(path: string) {
    return portal.call(path, { token: await portal.token() }, { method: 'GET' });
  }

  test('sign in as the administrator', async () => {
    await page.goto(`${portal.url}${CERTIFICATES}`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Certificates', level: 1 }).waitFor();
  });

  test('the Certificates page lists the default certificate "portal" as in use, with its expiry', async () => {
    const row = page.getByTestId('certificate-row-portal');
    await row.waitFor();
    assert.equal(await row.getByTestId('in-use').textContent(), 'In use (web server)');
    const listed = (await api('/portaladmin/security/sslCertificates')).certificates.find(
      (c: { alias: string }) => c.alias === 'portal',
    );
    assert.ok(listed, 'the API lists "portal"');
    const badge = await row.getByTestId('expiry-badge').textContent();
    const expected =
      listed.expiryState === 'expiring'
        ? `Expires in ${listed.daysLeft} days`
        : listed.expiryState === 'valid'
          ? 'Valid'
          : '';
    assert.ok(expected, `unexpected expiry state ${listed.expiryState}`);
    assert.equal(badge, expected);
    const until = new Date(listed.validUntil).toLocaleDateString('en-US', { dateStyle: 'medium' });
    assert.match((await row.textContent()) ?? '', new RegExp(until.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // In use: no way to delete it.
    assert.equal(await row.getByRole('button', { name: 'Delete portal' }).isDisabled(), true);
  });

  test('generate "second" signed by the portal CA and use it as the web server certificate', async () => {
    const form = page.getByRole('form', { name: 'Generate a certificate' });
    await form.getByLabel('Alias').fill('second');
    await form.getByLabel('Common name').fill(NEW_CN);
    await form.getByLabel('Organization', { exact: true }).fill('Meridian Tests');
    await form.getByLabel('Country (two-letter code)').fill('DE');
    await form.getByLabel('Subject alternative names').fill(`localhost, 127.0.0.1, ${NEW_CN}`);
    await form.getByLabel('Key algorithm').selectOption('EC');
    await form.getByLabel('Key size').selectOption('256');
    await form.getByLabel('Validity (days)').fill('200');
    await form.getByLabel('Signed by').selectOption('portalCA');
    await form.getByRole('button', { name: 'Generate certificate' }).click();
    await page.getByRole('status').filter({ hasText: 'Certificate "second" generated.' }).waitFor();

    const row = page.getByTestId('certificate-row-second');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`CN=${NEW_CN.replace(/\./g, '\\.')}`));
    assert.equal(await row.getByTestId('expiry-badge').textContent(), 'Valid');

    await row.getByRole('button', { name: 'Use as web server certificate' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '"second" is now the web server certificate' })
      .waitFor();
    await row.getByTestId('in-use').filter({ hasText: 'In use (web server)' }).waitFor();
    assert.equal(await page.getByTestId('certificate-row-portal').getByTestId('in-use').count(), 0);

    const settings = await api('/portaladmin/security/sslCertificates');
    assert.equal(settings.webServerCertificateAlias, 'second');
    assert.equal(await servedCommonName(portal), NEW_CN);

    // The page keeps working over the new certificate (a fresh connection, still trusted).
    await page.reload();
    await page.getByTestId('certificate-row-second').getByTestId('in-use').waitFor();
  });

  test('the export link downloads the certificate with the session cookie', async () => {
    const row = page.getByTestId('certificate-row-second');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('link', { name: 'Export PEM' }).click(),
    ]);
    const pem = readFileSync(await download.path(), 'utf8');
    assert.match(pem, /-----BEGIN CERTIFICATE-----/);
    assert.doesNotMatch(pem, /PRIVATE KEY/);
    assert.equal(new X509Certificate(pem).subject.includes(`CN=${NEW_CN}`), true);
  });

  test('Create CSR shows the request; a bad signed certificate is refused with the server message', async () => {
    const row = page.getByTestId('certificate-row-second');
    await row.getByRole('button', { name: 'Create CSR' }).click();
    const dialog = page.getByRole('dialog', { name: 'Certificate signing request for "second"' });
    const text = dialog.getByLabel('Certificate signing request (PEM)');
    await text.waitFor();
    const csr = await text.inputValue();
    assert.match(csr, /^-----BEGIN CERTIFICATE REQUEST-----/);
    assert.equal(await text.getAttribute('readonly'), '');
    await dialog.getByRole('link', { name: 'Download .csr' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });

    await row.getByRole('button', { name: 'Import signed certificate' }).click();
    const upload = page.getByRole('dialog', { name: 'Import signed certificate for "second"' });
    await upload
      .getByLabel('Or paste the PEM text')
      .fill('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n');
    await upload.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = upload.getByRole('alert');
    await alert.waitFor();
    assert.ok(((await alert.textContent()) ?? '').length > 10, 'the server says what is wrong');
    await upload.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await api('/portaladmin/security/sslCertificates')).webServerCertificateAlias, 'second');
  });

  test('import a PKCS#12 file with its password (multipart upload from the browser)', async () => {
    const leaf = await generateCertificate({ alias: 'pfx', cn: 'pfx.meridian.test', keyAlg: 'EC' });
    const dir = tempDir();
    try {
      dir.write('leaf.key', leaf.keyPem);
      dir.write('leaf.pem', leaf.certPem);
      const p12 = dir.file('leaf.p12');
      openssl([
        'pkcs12',
        '-export',
        '-in',
        dir.file('leaf.pem'),
        '-inkey',
        dir.file('leaf.key'),
        '-passout',
        'pass:Pfx-s3cret',
        '-out',
        p12,
      ]);

      const form = page.getByRole('form', { name: 'Import a certificate with its key' });
      await form.getByLabel('Alias').fill('from-pfx');
      await form.getByLabel('Certificate file (.pfx, .p12 or .pem)').setInputFiles(p12);
      await form.getByLabel('Password').fill('wrong-password');
      await form.getByRole('button', { name: 'Import certificate' }).click();
      await form.getByRole('alert').waitFor();
      assert.equal(await page.getByTestId('certificate-row-from-pfx').count(), 0);

      await form.getByLabel('Password').fill('Pfx-s3cret');
      await form.getByRole('button', { name: 'Import certificate' }).click();
      const row = page.getByTestId('certificate-row-from-pfx');
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /CN=pfx\.meridian\.test/);
      await row.getByRole('button', { name: 'Create CSR' }).waitFor();
    } finally {
      dir.remove();
    }
  });

  test('a certificate expiring soon is named in the warning banner, and can be deleted', async () => {
    const form = page.getByRole('form', { name: 'Generate a certificate' });
    await form.getByLabel('Alias').fill('short-lived');
    await form.getByLabel('Common name').fill('short.meridian.test');
    await form.getByLabel('Key algorithm').selectOption('EC');
    await form.getByLabel('Validity (days)').fill('10');
    await form.getByLabel('Signed by').selectOption('self');
    await form.getByRole('button', { name: 'Generate certificate' }).click();
    const row = page.getByTestId('certificate-row-short-lived');
    await row.waitFor();
    const listed = (await api('/portaladmin/security/sslCertificates')).certificates.find(
      (c: { alias: string }) => c.alias === 'short-lived',
    );
    assert.equal(listed.expiryState, 'expiring');
    assert.equal(await row.getByTestId('expiry-badge').textContent(), `Expires in ${listed.daysLeft} days`);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Organization' }).click();
    const banner = page.getByRole('complementary', { name: 'Certificate warnings' });
    await banner.waitFor();
    assert.match(
      (await banner.getByTestId('certificate-warning-short-lived').textContent()) ?? '',
      /short-lived/,
    );
    assert.equal(await banner.getByTestId('certificate-warning-second').count(), 0);

    await banner.getByRole('link', { name: 'Manage certificates' }).click();
    await page
      .getByTestId('certificate-row-short-lived')
      .getByRole('button', { name: 'Delete short-lived' })
      .click();
    await page
      .getByTestId('certificate-row-short-lived')
      .getByRole('button', { name: 'Yes, delete' })
      .click();
    await page.getByTestId('certificate-row-short-lived').waitFor({ state: 'detached' });
    const after = await api('/portaladmin/security/sslCertificates');
    assert.equal(after.sslCertificates.includes('short-lived'), false);
    // The banner reads the health check again and no longer names it (it may still name others,
    // e.g. the default certificate when its lifetime is shorter than the warning window).
    await until(async () => {
      const banner = page.getByRole('complementary', { name: 'Certificate warnings' });
      return (
        (await banner.count()) === 0 ||
        (await banner.getByTestId('certificate-warning-short-lived').count()) === 0
      );
    });
  });

  test('import a CA into the trust store and see its fingerprint', async () => {
    const ca = await generateCertificate({
      alias: 'partner-root',
      cn: 'Partner Root CA',
      org: 'Partner Agency',
      keyAlg: 'EC',
      isCA: true,
      validityDays: 3650,
    });
    const fingerprint = new X509Certificate(ca.certPem).fingerprint256;

    await page
      .getByRole('navigation', { name: 'Security settings' })
      .getByRole('link', { name: 'Trust store' })
      .click();
    await page.getByRole('heading', { name: 'Trust store', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Import a root or intermediate certificate' });
    await form.getByLabel('Alias').fill('partner-root');
    await form.getByLabel('Or paste the PEM text').fill(ca.certPem);
    await form.getByRole('button', { name: 'Import to trust store' }).click();

    const row = page.getByTestId('trust-row-partner-root');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /CN=Partner Root CA/);
    assert.equal(hex((await row.getByTestId('fingerprint').textContent()) ?? ''), hex(fingerprint));
    assert.equal(await row.getByTestId('expiry-badge').textContent(), 'Valid');
  });

  test('check a self-signed site, confirm its fingerprint, trust it; the next check is OK', async () => {
    const fingerprint = new X509Certificate(sitePem).fingerprint256;
    const check = page.getByRole('form', { name: 'Check a site' });
    await check.getByLabel('Site URL').fill(site.url);
    await check.getByRole('button', { name: 'Check', exact: true }).click();

    const result = page.getByTestId('diagnosis-result');
    await result.waitFor();
    assert.match((await result.getByRole('heading', { level: 3 }).textContent()) ?? '', /^Problem found/);
    assert.match((await result.getByTestId('diagnosis-message').textContent()) ?? '', /self-signed/i);
    assert.ok(
      ((await result.getByTestId('diagnosis-fix').textContent()) ?? '').length > 20,
      'a fix is given',
    );
    assert.match((await result.textContent()) ?? '', /CN=localhost/);

    const trust = page.getByRole('form', { name: 'Trust this certificate' });
    assert.equal(
      hex((await trust.getByTestId('suggested-fingerprint').textContent()) ?? ''),
      hex(fingerprint),
    );
    const button = trust.getByRole('button', { name: 'Trust this certificate' });
    assert.equal(await button.isDisabled(), true, 'nothing is trusted before the confirmation');
    await trust.getByLabel("I have checked this fingerprint with the site's administrator").check();
    await button.click();
    await page.getByRole('status').filter({ hasText: 'is now in the trust store' }).waitFor();
    assert.match((await result.getByRole('heading', { level: 3 }).textContent()) ?? '', /^OK/);

    const store = await api('/portaladmin/security/trustStore');
    assert.ok(
      store.certificates.some(
        (c: { sha256Fingerprint: string }) => hex(c.sha256Fingerprint) === hex(fingerprint),
      ),
      'the site certificate is in the trust store',
    );
    // The list on the page was reloaded with the new entry.
    await until(async () =>
      (await page.getByTestId('trust-table').getByTestId('fingerprint').allTextContents()).some(
        (text) => hex(text) === hex(fingerprint),
      ),
    );

    // A second check, from scratch: the previous answer goes away first.
    const trusted = page.getByRole('status').filter({ hasText: 'is now in the trust store' });
    await check.getByRole('button', { name: 'Check', exact: true }).click();
    await trusted.waitFor({ state: 'detached' });
    await result.getByRole('heading', { level: 3, name: /^OK/ }).waitFor();
    assert.equal(await page.getByRole('form', { name: 'Trust this certificate' }).count(), 0);
  });

  test('HTTPS settings: protocols, HSTS and HTTPS-required paths are saved', async () => {
    await page
      .getByRole('navigation', { name: 'Security settings' })
      .getByRole('link', { name: 'HTTPS settings' })
      .click();
    const form = page.getByRole('form', { name: 'HTTPS settings' });
    await form.waitFor();
    assert.equal(await form.getByLabel('Web server certificate').inputValue(), 'second');
    const before = await api('/portaladmin/security/sslCertificates');
    assert.ok(before.cipherSuites.length > 1);

    // Refused in the page: no cipher suite left.
    for (const suite of before.cipherSuites) await form.getByLabel(suite, { exact: true }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'cipher suite' }).waitFor();
    await form.getByLabel(before.cipherSuites[0], { exact: true }).check();
    await form.getByLabel(before.cipherSuites[1], { exact: true }).check();

    await form.getByLabel('TLSv1.2').uncheck();
    await form.getByLabel(/^HSTS/).check();
    await form
      .getByLabel('HTTPS-required paths (one per line)')
      .fill('/sharing/rest/generateToken\n/portaladmin\n');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'HTTPS settings saved' }).waitFor();

    const saved = await api('/portaladmin/security/sslCertificates');
    assert.deepEqual(saved.sslProtocols, ['TLSv1.3']);
    assert.deepEqual(saved.cipherSuites, before.cipherSuites.slice(0, 2));
    assert.equal(saved.HSTSEnabled, true);
    assert.deepEqual(saved.httpsRequiredPaths, ['/sharing/rest/generateToken', '/portaladmin']);
    // The form shows what was saved.
    assert.equal(
      await page.getByRole('form', { name: 'HTTPS settings' }).getByLabel('TLSv1.2').isChecked(),
      false,
    );
  });
});
