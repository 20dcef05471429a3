/**
 * Organization › Settings › Servers in Debian's Chromium, against a real portal process and a
 * real GIS server process (`meridian start` and `meridian server`, each with its own data
 * directory and CA, so the portal trusts neither the server nor a plain site at first):
 * - Add server aimed at a plain HTTPS site with its own self-signed certificate → the
 *   untrusted-certificate diagnosis with the presented chain and the fingerprint → "Trust this
 *   certificate … and federate" → the next refusal (not a GIS server) with the portal's message;
 * - Add server aimed at the GIS server → its CA's fingerprint confirmed → federated, and the
 *   web UI's Content-Security-Policy now names the server's origin (no restart);
 * - Validate shows success per check;
 * - the server then serves a certificate from a new CA (through its own admin API): Validate
 *   fails and shows the new CA's fingerprint; "Trust this certificate … and validate again" is
 *   disabled until the box is ticked, then trusts it and Validate succeeds (the server keeps
 *   that certificate: the portal trusts its CA now, and the later tests reach it with it);
 * - the role becomes hosting server; Unfederate (the origin leaves the policy, the trust entry
 *   the confirmation made goes); wrong credentials are shown with the portal's message.
 * No CSP violation in the console. Screenshots: /tmp/meridian-servers-ui-*.png.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { Agent, FormData, fetch } from 'undici';
import { type RunningServer, startHttpsServer } from '../packages/server/src/pki/diagnose/test-servers.ts';
import { generateCertificate } from '../packages/server/src/pki/generate-certificate.ts';
import {
  asIssuer,
  leafOptions,
  openssl,
  type TempDir,
  tempDir,
} from '../packages/server/src/pki/test-helpers.ts';
import { launchTrustingChromium } from './browser.ts';
import { eventually, type Json, PORTAL_ADMIN_PASSWORD, type Sites, startSites } from './gis/sites.ts';
import { signInOnPortalPage } from './ui-helpers.ts';

const SERVERS = '/home/organization/settings/servers.html';

/** "AB:CD:…" and "abcd…" name the same fingerprint. */
const hex = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

describe('federated servers page in Chromium (a portal and a GIS server, two processes)', () => {
  let sites: Sites;
  let site: RunningServer;
  let sitePem: string;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let dir: TempDir;
  const violations: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/meridian-servers-ui-${name}.png`, fullPage: true });
  /** The connect-src sources of the web UI's policy as a page gets it now. */
  const connectSrc = async () => {
    const res = await fetch(`${sites.portalUrl}/home/`, { dispatcher: sites.dispatcher });
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    return /connect-src ([^;]*)/.exec(csp)?.[1]?.split(' ') ?? [];
  };
  const fillAddServer = async (url: string, password: string) => {
    await page.getByRole('button', { name: 'Add server' }).click();
    await page.getByLabel('Server URL').fill(url);
    assert.equal(await page.getByLabel('Administration URL').inputValue(), `${url}/admin`);
    await page.getByLabel('Administrator username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Federate' }).click();
  };
  const confirmButton = () =>
    page.getByRole('button', {
      name: /^Trust this certificate — SHA-256 fingerprint [0-9A-F:]+ — and federate$/i,
    });

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
    [site, sites] = await Promise.all([
      startHttpsServer({ key: selfSigned.keyPem, cert: selfSigned.certPem }, (_req, res) =>
        res.end('a web site, not a GIS server'),
      ),
      startSites('servers-ui'),
    ]);
    chromium = await launchTrustingChromium(sites.portal.caPem);
    page = await chromium.browser.newPage({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
  });

  after(async () => {
    await chromium?.close();
    await site?.close();
    await sites?.close();
    dir?.remove();
  });

  test('sign in and open Settings › Servers: none yet', async () => {
    await page.goto(`${sites.portalUrl}${SERVERS}`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await signInOnPortalPage(page, 'admin', PORTAL_ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Servers', level: 1 }).waitFor();
    await page.getByTestId('no-servers').waitFor();
    const settingsNav = page.getByRole('navigation', { name: 'Settings' });
    assert.deepEqual(await settingsNav.getByRole('link').allTextContents(), [
      'General',
      'Servers',
      'Collaborations',
    ]);
    assert.deepEqual(await connectSrc(), ["'self'"]);
  });

  test('a plain HTTPS site: the untrusted certificate is diagnosed, then it is no GIS server', async () => {
    await fillAddServer(`https://localhost:${site.port}/arcgis`, 'some-password');
    const untrusted = page.getByTestId('untrusted-certificate');
    await untrusted.waitFor();
    const fingerprint = hex(new X509Certificate(sitePem).fingerprint256);
    assert.equal(hex((await page.getByTestId('fingerprint-to-confirm').textContent()) ?? ''), fingerprint);
    const chainText = (await page.getByTestId('presented-chain').textContent()) ?? '';
    assert.match(chainText, /Subject.*CN=localhost.*Issuer.*Expires.*SHA-256 fingerprint/s);
    assert.ok(hex(chainText).includes(fingerprint));
    assert.ok(
      ((await untrusted.locator('.diagnosis').textContent()) ?? '').length > 20,
      'a diagnosis in words',
    );
    await shot('1-untrusted-site');
    assert.equal(await confirmButton().isDisabled(), true, 'not before the fingerprint is checked');
    await page.getByLabel(/I have checked this fingerprint/).check();
    await confirmButton().click();
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /GIS server|rest\/info|ArcGIS/i);
    assert.equal(await page.getByTestId('untrusted-certificate').count(), 0);
    await shot('2-not-a-gis-server');
    assert.equal(await page.getByTestId('server-row').count(), 0, 'nothing federated');
    await page.getByRole('button', { name: 'Cancel' }).click();
  });

  test("the GIS server: its CA's fingerprint confirmed, federated; the UI policy names its origin", async () => {
    const server = sites.server;
    await fillAddServer(server.root, server.adminPassword);
    const untrusted = page.getByTestId('untrusted-certificate');
    await untrusted.waitFor();
    // The server sends its chain: the fingerprint to confirm is its CA's, and the chain lists it.
    const caFingerprint = hex(new X509Certificate(server.caPem).fingerprint256);
    assert.equal(hex((await page.getByTestId('fingerprint-to-confirm').textContent()) ?? ''), caFingerprint);
    const chain = (await page.getByTestId('presented-chain').textContent()) ?? '';
    assert.ok(hex(chain).includes(caFingerprint), chain);
    assert.match(chain, /Subject.*Issuer.*Expires/s);
    await shot('3-untrusted-server');
    await page.getByLabel(/I have checked this fingerprint/).check();
    await confirmButton().click();
    const row = page.getByTestId('server-row');
    await row.waitFor();
    const name = (await row.locator('h3').textContent()) ?? '';
    assert.ok(name.length > 0);
    await page
      .getByTestId('status-message')
      .filter({ hasText: `Federated ${name}.` })
      .waitFor();
    assert.equal(await row.count(), 1);
    assert.equal(
      (await row.getByTestId('server-url').textContent())?.toLowerCase(),
      server.root.toLowerCase(),
    );
    assert.deepEqual(await connectSrc(), ["'self'", server.base]);
    await shot('4-federated');
  });

  test('Validate shows success, one line per check', async () => {
    const row = page.getByTestId('server-row');
    await row.getByRole('button', { name: 'Validate' }).click();
    const status = row.getByTestId('validation-status');
    await status.waitFor();
    assert.match((await status.textContent()) ?? '', /^Success/);
    const checks = row.getByTestId('server-validation').locator('li');
    assert.ok((await checks.count()) > 0, 'one line per check');
    await shot('5-validated');
  });

  test("the server's certificate from a new CA: Validate fails with its fingerprint; confirmed, it succeeds", async () => {
    // A new CA and a certificate for localhost it issued, as a PKCS#12 with the chain, imported
    // into the server and served through its own admin API (with a server token of the portal).
    dir = tempDir('meridian-servers-ui-');
    const newCa = await generateCertificate({
      alias: 'replacement-ca',
      cn: 'Replacement CA',
      org: 'Partner Agency',
      keyAlg: 'EC',
      isCA: true,
      validityDays: 365,
    });
    const leaf = await generateCertificate(leafOptions({ alias: 'newca', issuer: asIssuer(newCa) }));
    dir.write('key.pem', leaf.keyPem);
    dir.write('cert.pem', leaf.certPem);
    dir.write('ca.pem', newCa.certPem);
    openssl(
      ['pkcs12', '-export', '-inkey', 'key.pem', '-in', 'cert.pem', '-certfile', 'ca.pem'].concat([
        '-out',
        'newca.pfx',
        '-passout',
        'pass:pfx-secret',
      ]),
      dir.path,
    );
    const server = sites.server;
    const client = new Agent({ connect: { ca: [server.caPem, newCa.certPem] } });
    const onlyNewCa = new Agent({ connect: { ca: newCa.certPem } });
    try {
      const serverToken = (await sites.serverToken(await sites.portalToken())).token as string;
      const admin = async (path: string, body: URLSearchParams | FormData): Promise<Json> => {
        body.set('f', 'json');
        body.set('token', serverToken);
        const res = await fetch(`${server.root}/admin/${path}`, { method: 'POST', body, dispatcher: client });
        return res.json();
      };
      const machine = (await admin('machines', new URLSearchParams())).machines[0].machineName as string;
      const form = new FormData();
      form.set('alias', 'newca');
      form.set('certPassword', 'pfx-secret');
      form.set('certFile', new Blob([new Uint8Array(dir.read('newca.pfx'))]), 'newca.pfx');
      const imported = await admin(
        `machines/${machine}/sslcertificates/importExistingServerCertificate`,
        form,
      );
      assert.equal(imported.status, 'success', JSON.stringify(imported));
      const edited = await admin(
        `machines/${machine}/edit`,
        new URLSearchParams({ webServerCertificateAlias: 'newca' }),
      );
      assert.deepEqual(edited, { status: 'success' });
      // Served once a client that trusts the new CA only can connect.
      const servedNew = async () => {
        try {
          const res = await fetch(`${server.root}/rest/info?f=json`, { dispatcher: onlyNewCa });
          await res.arrayBuffer();
          return res.ok;
        } catch {
          return false; // still the former certificate, which this client does not trust
        }
      };
      assert.equal(
        await eventually(servedNew, (ok) => ok, 10_000),
        true,
        'the server serves the new certificate',
      );
    } finally {
      await client.close();
      await onlyNewCa.close();
    }

    const row = page.getByTestId('server-row');
    const validation = row.getByTestId('server-validation');
    await row.getByRole('button', { name: 'Validate' }).click();
    await row
      .getByTestId('validation-status')
      .filter({ hasText: /^Failure/ })
      .waitFor();
    assert.match(
      (await validation.locator('li').first().textContent()) ?? '',
      /changed and is issued by a CA this portal does not trust/,
    );
    // The server sends its chain: the fingerprint to confirm is the new CA's.
    const newCaFingerprint = hex(new X509Certificate(newCa.certPem).fingerprint256);
    assert.notEqual(newCaFingerprint, hex(new X509Certificate(server.caPem).fingerprint256));
    const shown = (await row.getByTestId('validation-fingerprint').textContent()) ?? '';
    assert.equal(hex(shown), newCaFingerprint);
    const trust = row.getByRole('button', {
      name: `Trust this certificate — SHA-256 fingerprint ${shown} — and validate again`,
    });
    assert.equal(await trust.isDisabled(), true, 'not before the fingerprint is checked');
    await shot('6-new-ca');
    await row.screenshot({ path: '/tmp/meridian-servers-ui-6-new-ca-row.png' });
    const box = row.getByLabel(/I have checked this fingerprint/);
    await box.check();
    assert.equal(await trust.isEnabled(), true);
    await box.uncheck();
    assert.equal(await trust.isDisabled(), true, 'unticked again, disabled again');
    await box.check();
    await trust.click();

    await row
      .getByTestId('validation-status')
      .filter({ hasText: /^Success/ })
      .waitFor();
    assert.match(
      (await validation.textContent()) ?? '',
      /the confirmed certificate is trusted now \(trust entry 'federation-/,
    );
    assert.equal(await row.getByTestId('validation-confirm').count(), 0, 'nothing more to confirm');
    assert.equal(await row.getByTestId('error-alert').count(), 0);
    await shot('7-new-ca-trusted');
    await row.screenshot({ path: '/tmp/meridian-servers-ui-7-new-ca-trusted-row.png' });
    // Validating again: the new certificate is simply trusted now.
    await row.getByRole('button', { name: 'Validate' }).click();
    await validation
      .locator('li')
      .filter({ hasText: /^Certificate: trusted/ })
      .waitFor();
    assert.match((await row.getByTestId('validation-status').textContent()) ?? '', /^Success/);
  });

  test('the first server is the hosting server; its role changes and the portal lists it so', async () => {
    const listedRole = async () =>
      (
        await sites.get(`${sites.portalUrl}/portaladmin/federation/servers`, {
          token: await sites.portalToken(),
        })
      ).servers[0].serverRole;
    const row = () => page.getByTestId('server-row');
    assert.equal(await row().getByTestId('server-role').textContent(), 'Hosting server');
    const update = () => row().getByRole('button', { name: 'Update role' });
    assert.equal(await update().isDisabled(), true, 'nothing to update yet');
    await row().getByLabel('Role').selectOption('FEDERATED_SERVER');
    await update().click();
    await row()
      .getByTestId('server-role')
      .filter({ hasText: /^Federated server$/ })
      .waitFor();
    assert.equal(await listedRole(), 'FEDERATED_SERVER');
    await page.getByTestId('status-message').filter({ hasText: 'is now: Federated server' }).waitFor();
    await shot('8-role-changed');
    await row().getByLabel('Role').selectOption('HOSTING_SERVER');
    await update().click();
    await row().getByTestId('server-role').filter({ hasText: 'Hosting server' }).waitFor();
    assert.equal(await listedRole(), 'HOSTING_SERVER');
  });

  test('Unfederate after confirming: the origin leaves the policy; wrong credentials are shown with the portal message', async () => {
    const row = page.getByTestId('server-row');
    await row.getByRole('button', { name: /^Unfederate / }).click();
    await row.getByRole('button', { name: 'Unfederate', exact: true }).click();
    await page.getByTestId('no-servers').waitFor();
    assert.deepEqual(await connectSrc(), ["'self'"]);
    await fillAddServer(sites.server.root, 'not-the-password');
    // Unfederating removed the trust entry the federation added: the certificate is asked again.
    await page.getByTestId('untrusted-certificate').waitFor();
    await page.getByLabel(/I have checked this fingerprint/).check();
    await confirmButton().click();
    // Trusted again, the next refusal is the credentials'.
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /password|credential|sign in|administrator/i);
    assert.equal(await page.getByTestId('untrusted-certificate').count(), 0);
    assert.equal(await page.getByTestId('server-row').count(), 0, 'nothing federated');
    assert.deepEqual(await connectSrc(), ["'self'"]);
    await shot('9-bad-credentials');
    assert.deepEqual(violations, []);
  });
});
