/**
 * What an administrator does in Organization, in Chromium against a real portal: disable,
 * enable, reset the password of, unlock and delete users; edit and delete a group and remove
 * its members; change the organisation's name, description, token lifetimes and default
 * sharing; the organization, group and certificates pages fit 1366-px and 800-px windows; a
 * certificate that does not cover the portal's host name is used only after the administrator
 * confirms the reasons in words.
 */
import assert from 'node:assert/strict';
import { request as httpsRequest } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { pageWidths, signInThroughUi } from './ui-helpers.ts';

const OTHER_HOST = 'other.example.test';
const PASSWORDS = { erin_user: 'Erin-passw0rd', frank_user: 'Frank-passw0rd', gina_user: 'Gina-passw0rd' };

/**
 * The subject CN of the certificate a new TLS connection for `servername` is served; the
 * connection checks the chain and that the certificate covers `servername`.
 */
function servedCommonName(portal: TestPortal, servername: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: '127.0.0.1', port: portal.httpsPort, servername, ca: portal.caCertPem },
      () => {
        const cn = socket.getPeerCertificate().subject?.CN;
        socket.end();
        resolve(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
      },
    );
    socket.on('error', reject);
  });
}

/**
 * POST to the portal over a connection made for `servername` (certificate checked against
 * that name): the way back when the portal serves a certificate that does not cover localhost.
 */
function postAs(portal: TestPortal, servername: string, path: string, fields: Record<string, string>) {
  const body = new URLSearchParams({ f: 'json', ...fields }).toString();
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: portal.httpsPort,
        servername,
        ca: portal.caCertPem,
        path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'content-length': Buffer.byteLength(body),
        },
        agent: false,
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('organization pages in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let groupId = '';

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US' });
    const token = await portal.token();
    for (const [username, password] of Object.entries(PASSWORDS)) {
      const created = await portal.call('/portaladmin/security/users/createUser', {
        token,
        username,
        password,
        firstname: username.split('_')[0]!,
        lastname: 'Tester',
        email: `${username}@example.org`,
        role: 'org_user',
      });
      assert.equal(created.status, 'success', JSON.stringify(created));
    }
    const group = await portal.call('/sharing/rest/community/createGroup', {
      token,
      title: 'Harbour watch',
      access: 'private',
      tags: 'harbour',
    });
    groupId = group.group.id;
    const added = await portal.call(`/sharing/rest/community/groups/${groupId}/addUsers`, {
      token,
      users: 'erin_user,gina_user',
    });
    assert.deepEqual(added.notAdded, []);
    const generated = await portal.call('/portaladmin/security/sslCertificates/generate', {
      token,
      alias: 'other-host',
      cn: OTHER_HOST,
      san: OTHER_HOST,
      org: 'Elsewhere',
      signedBy: 'portalCA',
    });
    assert.equal(generated.status, 'success', JSON.stringify(generated));
    await signInThroughUi(page, portal.url, 'admin', ADMIN_PASSWORD);
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  async function user(username: string) {
    return portal.call(
      `/sharing/rest/community/users/${username}`,
      { token: await portal.token() },
      { method: 'GET' },
    );
  }

  async function canSignIn(username: string, password: string): Promise<boolean> {
    const r = await portal.call('/sharing/rest/generateToken', { username, password, client: 'requestip' });
    return typeof r.token === 'string';
  }

  const row = (username: string) => page.getByTestId(`user-row-${username}`);
  /** Waits until the user's row shows this status (the list is read again after each change). */
  const status = (username: string, text: RegExp) =>
    row(username).getByTestId('user-status').filter({ hasText: text }).waitFor();

  test('disable and enable a user', async () => {
    await page.goto(`${portal.url}/home/organization.html`);
    await row('erin_user').getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('status').filter({ hasText: 'erin_user is disabled' }).waitFor();
    await status('erin_user', /^Disabled$/);
    assert.equal((await user('erin_user')).disabled, true);
    assert.equal(await canSignIn('erin_user', PASSWORDS.erin_user), false);

    await row('erin_user').getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('status').filter({ hasText: 'erin_user is enabled.' }).waitFor();
    await status('erin_user', /^Active$/);
    assert.equal((await user('erin_user')).disabled, false);
    assert.equal(await canSignIn('erin_user', PASSWORDS.erin_user), true);
  });

  test("reset a user's password", async () => {
    await row('erin_user').getByRole('button', { name: 'Reset password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the password of erin_user' });
    await dialog.getByLabel('New password').fill('Erin-new-passw0rd');
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('status').filter({ hasText: 'Password of erin_user reset' }).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await canSignIn('erin_user', PASSWORDS.erin_user), false);
    assert.equal(await canSignIn('erin_user', 'Erin-new-passw0rd'), true);
  });

  test('a locked user is shown as locked and unlocked', async () => {
    const attempts = portal.config.identity.lockoutAttempts;
    for (let i = 0; i < attempts; i++) assert.equal(await canSignIn('gina_user', `Wrong-guess-${i}`), false);
    assert.equal(await canSignIn('gina_user', PASSWORDS.gina_user), false, 'the account is locked');
    assert.equal((await user('gina_user')).locked, true);

    await page.reload();
    await status('gina_user', /^Locked until/);
    await row('gina_user').getByRole('button', { name: 'Unlock' }).click();
    await page.getByRole('status').filter({ hasText: 'gina_user is unlocked.' }).waitFor();
    await status('gina_user', /^Active$/);
    assert.equal(await row('gina_user').getByRole('button', { name: 'Unlock' }).count(), 0);
    assert.equal((await user('gina_user')).locked, false);
    assert.equal(await canSignIn('gina_user', PASSWORDS.gina_user), true);
  });

  test('delete a user', async () => {
    await row('frank_user').getByRole('button', { name: 'Delete frank_user' }).click();
    await row('frank_user').getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('status').filter({ hasText: 'User frank_user deleted.' }).waitFor();
    await row('frank_user').waitFor({ state: 'detached' });
    assert.equal((await user('frank_user')).error?.code, 400);
    // The administrator's own row offers no way to lock themselves out.
    assert.equal(
      await row('admin')
        .getByRole('button', { name: /Delete|Disable/ })
        .count(),
      0,
    );
  });

  test('edit a group, remove a member, delete the group', async () => {
    await page.goto(`${portal.url}/home/group.html?id=${groupId}`);
    await page.getByRole('heading', { name: 'Harbour watch', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit group' }).click();
    const form = page.getByRole('form', { name: 'Edit group' });
    assert.equal(await form.getByLabel('Tags').inputValue(), 'harbour');
    await form.getByLabel('Group name').fill('Harbour wardens');
    await form.getByLabel('Summary').fill('Who watches the docks');
    await form.getByLabel('Description').fill('Tide gauges and moorings.');
    await form.getByLabel('Tags').fill('harbour, tides');
    await form.getByLabel('Who can see this group').selectOption('org');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Group "Harbour wardens" saved.' }).waitFor();
    await page.getByRole('heading', { name: 'Harbour wardens', level: 1 }).waitFor();
    const token = await portal.token();
    const group = await portal.call(
      `/sharing/rest/community/groups/${groupId}`,
      { token },
      { method: 'GET' },
    );
    assert.equal(group.title, 'Harbour wardens');
    assert.equal(group.snippet, 'Who watches the docks');
    assert.equal(group.description, 'Tide gauges and moorings.');
    assert.deepEqual(group.tags, ['harbour', 'tides']);
    assert.equal(group.access, 'org');

    const list = page.getByTestId('group-members');
    await list.getByRole('button', { name: 'Remove erin_user' }).click();
    await list.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByRole('status').filter({ hasText: 'erin_user removed from the group.' }).waitFor();
    await page.getByTestId('group-member-erin_user').waitFor({ state: 'detached' });
    const users = await portal.call(
      `/sharing/rest/community/groups/${groupId}/users`,
      { token },
      { method: 'GET' },
    );
    assert.deepEqual(users.users.sort(), ['gina_user']);
    // The owner cannot be removed.
    assert.equal(await page.getByTestId('group-member-admin').getByRole('button').count(), 0);

    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    const gone = await portal.call(`/sharing/rest/community/groups/${groupId}`, { token }, { method: 'GET' });
    assert.equal(gone.error?.code, 400);
  });

  test('Organization › Settings: name, description, token lifetimes, default sharing', async () => {
    await page.goto(`${portal.url}/home/organization.html`);
    await page
      .getByRole('navigation', { name: 'Organization' })
      .getByRole('link', { name: 'Settings' })
      .click();
    const form = page.getByRole('form', { name: 'Organization settings' });
    await form.getByLabel('Name').fill('Thames Water GIS');
    await form.getByLabel('Description').fill('Maps and data of the Thames basin.');
    await form.getByLabel('Maximum token lifetime (minutes)').fill('600');
    await form.getByLabel('Default token lifetime (minutes)').fill('700');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'cannot be longer than the maximum' }).waitFor();

    await form.getByLabel('Default token lifetime (minutes)').fill('60');
    await form.getByLabel('Default sharing of new items').selectOption({ label: 'My organization' });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    const self = await portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
    assert.equal(self.name, 'Thames Water GIS');
    assert.equal(self.description, 'Maps and data of the Thames basin.');
    assert.equal(self.maxTokenExpirationMinutes, 600);
    assert.equal(self.defaultTokenExpirationMinutes, 60);
    assert.equal(self.defaultItemAccess, 'org');
    // The maximum is applied: a token asked for a week lives ten hours.
    const before = Date.now();
    const issued = await portal.call('/sharing/rest/generateToken', {
      username: 'admin',
      password: ADMIN_PASSWORD,
      client: 'requestip',
      expiration: 10080,
    });
    const minutes = (issued.expires - before) / 60_000;
    assert.ok(minutes > 599 && minutes <= 601, `token lives ${minutes} minutes`);
    // The page shows what the server holds after a reload.
    await page.reload();
    assert.equal(await form.getByLabel('Name').inputValue(), 'Thames Water GIS');
    assert.equal(await form.getByLabel('Default sharing of new items').inputValue(), 'org');
  });

  test('the organization, group and certificates pages fit 1366-px and 800-px windows', async () => {
    const token = await portal.token();
    const group = await portal.call('/sharing/rest/community/createGroup', {
      token,
      title: 'Catchment modelling and flood forecasting working group',
      access: 'org',
      snippet: 'Hydrological models of the upper Thames catchment',
    });
    await portal.call(`/sharing/rest/community/groups/${group.group.id}/addUsers`, {
      token,
      users: 'erin_user,gina_user',
    });
    const pages = {
      organization: '/home/organization.html',
      group: `/home/group.html?id=${group.group.id}`,
      certificates: '/home/organization/security/certificates.html',
      settings: '/home/organization/settings.html',
    };
    for (const [width, height] of [
      [1366, 768],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${portal.url}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.getByTestId(name === 'group' ? 'group-members' : 'signed-in-user').waitFor();
        if (name === 'organization') await row('gina_user').waitFor();
        if (name === 'certificates') await page.getByTestId('certificate-row-other-host').waitFor();
        await page.screenshot({ path: `/tmp/meridian-ui-${name}-${width}.png`, fullPage: true });
        const { scrollWidth, clientWidth } = await pageWidths(page);
        assert.ok(scrollWidth <= clientWidth, `${name} at ${width} px: ${scrollWidth} > ${clientWidth}`);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  test('a certificate that does not cover the host name is used only after confirming the reasons', async () => {
    // In the HTTPS settings form: Cancel leaves everything as it was.
    await page.goto(`${portal.url}/home/organization/security/https.html`);
    const form = page.getByRole('form', { name: 'HTTPS settings' });
    await form.getByLabel('Web server certificate').selectOption('other-host');
    await form.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Use this certificate anyway?' });
    await dialog.waitFor();
    const reasons = (await dialog.getByTestId('unsuitable-reasons').textContent()) ?? '';
    assert.match(reasons, new RegExp(`${OTHER_HOST.replace(/\./g, '\\.')}.*localhost`));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const token = await portal.token();
    const ssl = () => portal.call('/portaladmin/security/sslCertificates', { token }, { method: 'GET' });
    assert.equal((await ssl()).webServerCertificateAlias, 'portal');

    // On the certificate's row: "Use it anyway" sends the change again with force=true.
    await page.goto(`${portal.url}/home/organization/security/certificates.html`);
    const certRow = page.getByTestId('certificate-row-other-host');
    await certRow.getByRole('button', { name: 'Use as web server certificate' }).click();
    await dialog.getByText(/does not fit this portal \(localhost\)/).waitFor();
    assert.equal((await ssl()).webServerCertificateAlias, 'portal', 'nothing changes before confirming');
    await dialog.getByRole('button', { name: 'Use it anyway' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: '"other-host" is now the web server certificate.' })
      .waitFor();
    // New connections get it: clients that check the name "localhost" now refuse the portal.
    await assert.rejects(servedCommonName(portal, 'localhost'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    assert.equal(await servedCommonName(portal, OTHER_HOST), OTHER_HOST);

    // Back to the certificate that fits, over a connection checked against the served name.
    const restored = await postAs(portal, OTHER_HOST, '/portaladmin/security/sslCertificates/update', {
      token,
      webServerCertificateAlias: 'portal',
    });
    assert.equal(restored.status, 'success', JSON.stringify(restored));
    assert.equal(await servedCommonName(portal, 'localhost'), 'localhost');
  });
});
