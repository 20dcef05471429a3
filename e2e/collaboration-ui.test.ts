/**
 * Organization › Settings › Collaborations in Debian's Chromium, between two portals that are
 * separate processes (`meridian start`, each with its own data directory and CA; neither trusts
 * the other at first), one browser context per portal. The whole invitation flow through the
 * UI, with no restart and no certificate file handled by hand:
 * - host: create a collaboration (first workspace linked to a group), add, edit and delete a
 *   workspace, invite the guest (the .invite file is downloaded), refresh the invitation (a new
 *   file);
 * - guest: the replaced file refused with the host's words; the new file validated → the
 *   seed's message with the diagnosis, the chain and the host CA's fingerprint signed into the
 *   file → "Trust … and accept" disabled until "I have checked this fingerprint" is ticked → accepted → the
 *   response file downloaded;
 * - host: the response validated → the guest CA's fingerprint confirmed the same way → imported;
 *   both sides list the other as an active participant, the invitation is completed;
 * - guest: links its group to the workspace, Sync now brings the item the host shared with its
 *   group (the run completed, its history names the item), listed in the guest's group with a
 *   Received badge and its origin (host URL, collaboration) on its page; a schedule set, paused,
 *   resumed, deleted; its delete policy saved; host: the guest made receive-only (the guest told);
 * - a copy received, then unshared on the host: kept, badged and shown as no longer synced;
 * - real-time sync turned on by the guest: an item the host shares arrives with no Sync now;
 * - the host stopped: Sync now fails, its history says the host could not be reached; the host
 *   restarted on its port: the next sync completes;
 * - host: remove the participant (the guest is told and shows it), delete the collaboration;
 * - a second collaboration between the portals, which trust each other now: validated with no
 *   confirmation on either side, accepted, imported (a receive-only guest); the guest leaves and
 *   the host shows it.
 * No CSP violation in the console. Screenshots: /tmp/meridian-collaboration-ui-*.png.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Download, Page } from 'playwright-core';
import { fetch } from 'undici';
import { launchTrustingChromium } from './browser.ts';
import { type PortalProcess, startPortalProcess } from './portal-process.ts';
import { signInThroughUi, until } from './ui-helpers.ts';

const PASSWORD = 'Collab-admin-passw0rd!';
const LIST = '/home/organization/settings/collaborations.html';
/** Each portal's environment: its administrator, and partners reached over loopback. */
const ENV = { MERIDIAN_ADMIN_PASSWORD: PASSWORD, MERIDIAN_OUTBOUND_ALLOW_LOOPBACK: 'true' };

/** "AB:CD:…" and "abcd…" name the same fingerprint. */
const hex = (fingerprint: string) => fingerprint.replace(/[^0-9a-f]/gi, '').toUpperCase();

describe('collaborations page in Chromium (two portal processes)', () => {
  let dir: string;
  let host: PortalProcess;
  let guest: PortalProcess;
  let chromium: { browser: Browser; close(): Promise<void> };
  let onHost: Page;
  let onGuest: Page;
  let groupId: string;
  let hostToken: string;
  let guestToken: string;
  /** The guest's group linked to the workspace. */
  let guestGroupId: string;
  const files: Record<string, string> = {};
  const violations: string[] = [];
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `/tmp/meridian-collaboration-ui-${name}.png`, fullPage: true });

  /** Runs `click` and answers the file it made the browser download (its name and where it is). */
  async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; path: string }> {
    const [download] = await Promise.all([page.waitForEvent('download') as Promise<Download>, click()]);
    const path = join(dir, `${Object.keys(files).length}-${download.suggestedFilename()}`);
    await download.saveAs(path);
    return { name: download.suggestedFilename(), path };
  }

  async function newPortalPage(portal: PortalProcess): Promise<Page> {
    // A context per portal: both are on localhost, and cookies do not tell ports apart.
    const context = await chromium.browser.newContext({
      locale: 'en-US',
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await signInThroughUi(page, portal.base, 'admin', PASSWORD);
    return page;
  }

  /** On the guest's collaboration page: links its group `title` to `workspace`, and waits until the row shows it. */
  async function linkGuestGroup(workspace: string, title: string) {
    const row = onGuest.getByRole('listitem', { name: workspace });
    await row.getByRole('button', { name: `Group link of ${workspace}` }).click();
    const form = onGuest.getByRole('form', { name: `Group link of ${workspace}` });
    await form.getByLabel('Group of this portal').selectOption({ label: title });
    await form.getByRole('button', { name: 'Save link' }).click();
    await row
      .getByTestId('workspace-group')
      .filter({ hasText: `Linked group: ${title}` })
      .waitFor();
    return row;
  }

  /** A group made through the API (community/createGroup): its id. */
  async function createGroup(portal: PortalProcess, token: string, title: string): Promise<string> {
    const created = (await (
      await fetch(`${portal.base}/sharing/rest/community/createGroup`, {
        method: 'POST',
        dispatcher: portal.dispatcher,
        body: new URLSearchParams({ f: 'json', token, title, access: 'org' }),
      })
    ).json()) as { group?: { id: string } };
    assert.ok(created.group?.id, JSON.stringify(created));
    return created.group.id;
  }

  /** An item the host's administrator adds (a link unless `fields` say otherwise) and shares with `group`: its id. */
  async function hostItemSharedWith(
    group: string,
    title: string,
    fields: Record<string, string> = { type: 'Document Link', url: 'https://example.org/gauges' },
  ): Promise<string> {
    const post = async (path: string, fields: Record<string, string>) =>
      (await (
        await fetch(`${host.base}/sharing/rest/content/users/admin/${path}`, {
          method: 'POST',
          dispatcher: host.dispatcher,
          body: new URLSearchParams({ f: 'json', token: hostToken, ...fields }),
        })
      ).json()) as { id?: string; error?: unknown };
    const added = await post('addItem', { title, ...fields });
    assert.ok(added.id, JSON.stringify(added));
    const shared = await post('shareItems', { items: added.id, groups: group });
    assert.ok(!shared.error, JSON.stringify(shared));
    return added.id;
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'meridian-collaboration-ui-'));
    [host, guest] = await Promise.all([
      startPortalProcess(join(dir, 'host'), ENV),
      startPortalProcess(join(dir, 'guest'), ENV),
    ]);
    [hostToken, guestToken] = await Promise.all([host.token(PASSWORD), guest.token(PASSWORD)]);
    groupId = await createGroup(host, hostToken, 'River wardens');
    chromium = await launchTrustingChromium([host.caPem, guest.caPem]);
    [onHost, onGuest] = await Promise.all([newPortalPage(host), newPortalPage(guest)]);
  });

  after(async () => {
    await chromium?.close();
    await Promise.all([host?.stop(), guest?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('Settings › Collaborations: none yet on either portal', async () => {
    for (const page of [onHost, onGuest]) {
      await page.goto(`${page === onHost ? host.base : guest.base}${LIST}`);
      await page.getByRole('heading', { name: 'Collaborations', level: 1 }).waitFor();
      await page.getByTestId('no-collaborations').waitFor();
    }
    const nav = onHost.getByRole('navigation', { name: 'Settings' });
    assert.deepEqual(await nav.getByRole('link').allTextContents(), ['General', 'Servers', 'Collaborations']);
  });

  test('the host creates a collaboration with its first workspace linked to a group', async () => {
    await onHost.getByRole('button', { name: 'Create collaboration' }).click();
    await onHost.getByLabel('Name', { exact: true }).fill('Rivers');
    await onHost.getByLabel('Description', { exact: true }).fill('Gauges and flood maps');
    await onHost.getByLabel('First workspace name').fill('Hydrology');
    // The picker lists the organization's groups by title.
    await onHost.getByLabel('Linked group').selectOption({ label: 'River wardens' });
    await shot(onHost, '1-create');
    await onHost.getByRole('button', { name: 'Create', exact: true }).click();
    await onHost.getByTestId('status-message').filter({ hasText: 'Created collaboration Rivers.' }).waitFor();
    const row = onHost.getByTestId('hosted-collaborations').getByTestId('collaboration-row');
    await row.first().waitFor();
    assert.equal(await row.count(), 1);
    assert.match(
      (await row.textContent()) ?? '',
      /Rivers.*Gauges and flood maps.*Host: this portal.*1 workspace/s,
    );
    await row.getByRole('link', { name: 'Rivers' }).click();
    await onHost.getByRole('heading', { name: 'Rivers', level: 1 }).waitFor();
    assert.equal(await onHost.getByTestId('collaboration-access').textContent(), 'Send and receive');
    assert.equal(await onHost.getByTestId('collaboration-role').textContent(), 'Host');
    const workspace = onHost.getByTestId('workspace-row');
    assert.equal(await workspace.count(), 1);
    await workspace
      .getByTestId('workspace-group')
      .filter({ hasText: 'Linked group: River wardens' })
      .waitFor();
    const listed = (await (
      await fetch(`${host.base}/sharing/rest/portals/self/collaborations?f=json&token=${hostToken}`, {
        dispatcher: host.dispatcher,
      })
    ).json()) as { collaborations: { workspaces: { portalGroupId: string }[] }[] };
    assert.equal(
      listed.collaborations[0]?.workspaces[0]?.portalGroupId,
      groupId,
      'the group picked is linked',
    );
  });

  test('the host adds a workspace, renames it and deletes it; a name too long is refused in words', async () => {
    await onHost.getByRole('button', { name: 'Add workspace' }).click();
    const form = onHost.getByRole('form', { name: 'Add workspace' });
    await form.getByLabel('Workspace name').fill('Flood maps');
    await form.getByLabel('Linked group').selectOption({ label: 'River wardens' });
    await form.getByRole('button', { name: 'Add' }).click();
    await onHost.getByTestId('status-message').filter({ hasText: 'Added workspace Flood maps.' }).waitFor();
    await onHost.getByRole('listitem', { name: 'Flood maps' }).waitFor();
    assert.equal(await onHost.getByTestId('workspace-row').count(), 2);

    await onHost.getByRole('button', { name: 'Edit Flood maps' }).click();
    const edit = onHost.getByRole('form', { name: 'Edit workspace Flood maps' });
    // The browser's maxLength stops typing at 100; the portal's own check is what a client meets.
    await edit.getByLabel('Workspace name').evaluate((el) => el.removeAttribute('maxlength'));
    await edit.getByLabel('Workspace name').fill('x'.repeat(101));
    await edit.getByRole('button', { name: 'Save' }).click();
    const alert = edit.getByTestId('error-alert');
    await alert.waitFor();
    assert.match(
      (await alert.textContent()) ?? '',
      /collaborationWorkspaceName.*101 characters.*at most 100/,
    );
    await edit.getByLabel('Workspace name').fill('Flood extents');
    await edit.getByRole('button', { name: 'Save' }).click();
    await onHost
      .getByTestId('status-message')
      .filter({ hasText: 'Saved workspace Flood extents.' })
      .waitFor();
    await onHost.getByRole('listitem', { name: 'Flood extents' }).waitFor();

    await onHost.getByRole('button', { name: 'Delete workspace Flood extents' }).click();
    await onHost.getByRole('button', { name: 'Delete workspace', exact: true }).click();
    await onHost
      .getByTestId('status-message')
      .filter({ hasText: 'Deleted workspace Flood extents.' })
      .waitFor();
    await onHost.getByRole('listitem', { name: 'Flood extents' }).waitFor({ state: 'detached' });
    assert.equal(await onHost.getByTestId('workspace-row').count(), 1);
  });

  test('the host invites the guest: the .invite file is downloaded; Refresh gives a new one', async () => {
    await onHost.getByRole('button', { name: 'Invite participant' }).click();
    await onHost.getByLabel('Guest portal URL').fill(guest.base);
    await onHost.getByLabel('Access to Hydrology').selectOption({ label: 'Send and receive' });
    await onHost.getByLabel('Valid for (hours)').fill('48');
    await shot(onHost, '2-invite');
    const first = await downloaded(onHost, () =>
      onHost.getByRole('button', { name: 'Invite and download the invitation file' }).click(),
    );
    assert.equal(first.name, 'collaboration-localhost.invite');
    const doc = JSON.parse(readFileSync(first.path, 'utf8'));
    assert.equal(doc.guestPortalUrl, guest.base);
    files.replaced = first.path;
    await onHost
      .getByTestId('status-message')
      .filter({ hasText: 'Downloaded the invitation file' })
      .waitFor();
    const invitation = onHost.getByTestId('invitation-row');
    await invitation.waitFor();
    assert.equal(await invitation.getByTestId('invitation-status').textContent(), 'Pending');
    assert.match((await invitation.textContent()) ?? '', /Hydrology: Send and receive/);

    const second = await downloaded(onHost, () =>
      onHost.getByRole('button', { name: `Refresh the invitation of ${guest.base}` }).click(),
    );
    assert.equal(second.name, 'collaboration-localhost.invite');
    assert.notEqual(readFileSync(second.path, 'utf8'), readFileSync(first.path, 'utf8'));
    files.invitation = second.path;
    await onHost.getByTestId('status-message').filter({ hasText: 'no longer works' }).waitFor();
    await shot(onHost, '3-invited');
  });

  /** On the guest: Accept invitation with `file` → Validate → the untrusted host shown. */
  async function validateOnGuest(file: string) {
    await onGuest.goto(`${guest.base}${LIST}`);
    await onGuest.getByRole('button', { name: 'Accept invitation' }).click();
    await onGuest.getByLabel('Invitation file').setInputFiles(file);
    await onGuest.getByLabel('Contact e-mail').fill('guest-admin@example.org');
    await onGuest.getByRole('button', { name: 'Validate invitation' }).click();
    await onGuest.getByTestId('untrusted-partner').waitFor();
  }
  const trustButton = (page: Page, then: string) =>
    page.getByRole('button', {
      name: new RegExp(`^Trust this certificate — SHA-256 fingerprint [0-9A-F:]+ — and ${then}$`, 'i'),
    });

  test('the guest: the replaced file is refused in the host’s words after the host is confirmed', async () => {
    await validateOnGuest(files.replaced!);
    await onGuest.getByLabel(/I have checked this fingerprint/).check();
    await trustButton(onGuest, 'accept the invitation').click();
    const alert = onGuest.getByTestId('error-alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /replaced by a refreshed one/);
    await onGuest.getByRole('button', { name: 'Cancel' }).click();
  });

  test('the guest: the untrusted host explained, its signed fingerprint confirmed, accepted, the response downloaded', async () => {
    await validateOnGuest(files.invitation!);
    const message = (await onGuest.getByTestId('untrusted-partner-message').textContent()) ?? '';
    assert.ok(
      message.startsWith(
        `Failed to validate SSL certificate for ${host.base}. The certificate authority that issued the SSL certificate needs to be trusted by Portal before`,
      ),
      message,
    );
    const caFingerprint = hex(new X509Certificate(host.caPem).fingerprint256);
    assert.equal(
      hex((await onGuest.getByTestId('fingerprint-to-confirm').textContent()) ?? ''),
      caFingerprint,
    );
    const chain = (await onGuest.getByTestId('presented-chain').textContent()) ?? '';
    assert.ok(hex(chain).includes(caFingerprint), chain);
    assert.match(chain, /Subject.*Issuer.*Certificate authority/s);
    await shot(onGuest, '4-untrusted-host');
    const trust = trustButton(onGuest, 'accept the invitation');
    assert.equal(await trust.isDisabled(), true, 'not before the fingerprint is compared');
    await onGuest.getByLabel(/I have checked this fingerprint/).check();
    await trust.click();
    const accepted = onGuest.getByTestId('invitation-accepted');
    await accepted.waitFor();
    assert.match((await accepted.textContent()) ?? '', new RegExp(`Rivers, hosted by ${host.base}`));
    await shot(onGuest, '5-accepted');
    const response = await downloaded(onGuest, () =>
      accepted.getByRole('button', { name: 'Download response file' }).click(),
    );
    assert.equal(response.name, 'collaboration-response-localhost.invite-response');
    files.response = response.path;
    await accepted.getByRole('button', { name: 'Close' }).click();
    const row = onGuest.getByTestId('guest-collaborations').getByTestId('collaboration-row');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`Rivers.*Host: ${host.base}`, 's'));
  });

  test('the host: the untrusted guest confirmed the same way, the response imported; both list the other', async () => {
    await onHost.reload();
    await onHost.getByRole('button', { name: 'Import response' }).click();
    await onHost.getByLabel('Response file').setInputFiles(files.response!);
    await onHost.getByRole('button', { name: 'Validate response' }).click();
    await onHost.getByTestId('untrusted-partner').waitFor();
    const message = (await onHost.getByTestId('untrusted-partner-message').textContent()) ?? '';
    assert.ok(message.startsWith(`Failed to validate SSL certificate for ${guest.base}.`), message);
    const caFingerprint = hex(new X509Certificate(guest.caPem).fingerprint256);
    assert.equal(
      hex((await onHost.getByTestId('fingerprint-to-confirm').textContent()) ?? ''),
      caFingerprint,
    );
    await shot(onHost, '6-untrusted-guest');
    const trust = trustButton(onHost, 'import the response');
    assert.equal(await trust.isDisabled(), true);
    await onHost.getByLabel(/I have checked this fingerprint/).check();
    await trust.click();
    await onHost.getByTestId('status-message').filter({ hasText: 'is now a participant' }).waitFor();
    const participant = onHost.getByTestId('participant-row');
    await participant.waitFor();
    assert.equal(await participant.getByTestId('participant-url').textContent(), guest.base);
    assert.equal(await participant.getByTestId('participant-state').textContent(), 'Active');
    assert.match(
      (await participant.textContent()) ?? '',
      /Hydrology: Send and receive.*guest-admin@example\.org/s,
    );
    await onHost.getByTestId('invitation-status').filter({ hasText: 'Completed' }).waitFor();
    await shot(onHost, '7-imported');

    await onGuest.getByTestId('collaboration-row').getByRole('link', { name: 'Rivers' }).click();
    await onGuest.getByRole('heading', { name: 'Rivers', level: 1 }).waitFor();
    assert.equal(await onGuest.getByTestId('collaboration-role').textContent(), 'Guest');
    const hostRow = onGuest.getByTestId('participant-row');
    await hostRow.waitFor();
    assert.equal(await hostRow.getByTestId('participant-url').textContent(), host.base);
    assert.equal(await hostRow.getByTestId('participant-state').textContent(), 'Active');
    assert.equal(
      await onGuest.getByRole('button', { name: 'Add workspace' }).count(),
      0,
      'a guest edits none',
    );
    await shot(onGuest, '8-guest-page');
  });

  test("the guest links its group, Sync now brings the host's shared item, marked with its origin", async () => {
    const itemId = await hostItemSharedWith(groupId, 'Gauge stations');
    guestGroupId = await createGroup(guest, guestToken, 'Partner rivers');
    const row = await linkGuestGroup('Hydrology', 'Partner rivers');
    await onGuest
      .getByTestId('status-message')
      .filter({ hasText: 'Saved the group link of Hydrology.' })
      .waitFor();

    await row.getByRole('button', { name: 'Sync now' }).click();
    const run = row.getByTestId('sync-run').first();
    await run
      .getByTestId('sync-status')
      .filter({ hasText: /^Completed$/ })
      .waitFor({ timeout: 30_000 });
    assert.match((await run.getByTestId('sync-summary').textContent()) ?? '', /1 received/);
    await run.getByRole('button', { name: 'History' }).click();
    await run.getByTestId('sync-history').filter({ hasText: 'Gauge stations' }).waitFor();
    await shot(onGuest, '9-synced');

    await onGuest.goto(`${guest.base}/home/group.html?id=${guestGroupId}`);
    const received = onGuest.getByRole('row').filter({ hasText: 'Gauge stations' });
    await received.getByTestId('origin-badge').filter({ hasText: 'Received' }).waitFor();
    await received.getByRole('link', { name: 'Gauge stations' }).click();
    const origin = onGuest.getByTestId('item-origin');
    await origin.waitFor();
    await origin.getByTestId('origin-portal').filter({ hasText: host.base }).waitFor();
    assert.match(
      (await origin.textContent()) ?? '',
      new RegExp(`Collaboration.*Rivers.*Item there.*${itemId}`, 's'),
    );
    await shot(onGuest, '10-received-item');
    await onGuest.goto(`${guest.base}${LIST}`);
    await onGuest.getByTestId('collaboration-row').getByRole('link', { name: 'Rivers' }).click();
    await onGuest.getByRole('heading', { name: 'Rivers', level: 1 }).waitFor();
  });

  test("the guest schedules the workspace's sync, pauses and deletes the schedule; sets its delete policy", async () => {
    const row = onGuest.getByRole('listitem', { name: 'Hydrology' });
    const state = row.getByTestId('schedule-state');
    assert.equal(await state.textContent(), 'No schedule: this workspace syncs when you say so.');
    await row.getByLabel('Every (hours)').fill('6');
    await row.getByLabel('Repeat (-1: for ever)').fill('-1');
    await row.getByLabel('First run (empty: now)').fill('2030-01-02T03:04');
    await row.getByRole('button', { name: 'Schedule' }).click();
    await state
      .filter({
        hasText: /^Scheduled every 6 hours, for ever \(0 runs so far; next Jan 2, 2030, 3:04:00 AM\)\.$/,
      })
      .waitFor();
    await row.getByRole('button', { name: 'Pause' }).click();
    await state.filter({ hasText: /paused\)\.$/ }).waitFor();
    await row.getByRole('button', { name: 'Resume' }).click();
    await state.filter({ hasText: /next / }).waitFor();
    await shot(onGuest, '11-scheduled');
    await row.getByRole('button', { name: 'Delete schedule' }).click();
    await state.filter({ hasText: 'No schedule' }).waitFor();

    // The boxes show the policy in force (nothing deleted by default); a saved one is shown after a reload.
    assert.equal(await onGuest.getByLabel('This portal deletes the items it received').isChecked(), false);
    await onGuest.getByLabel('This portal deletes the items it received').check();
    await onGuest.getByRole('button', { name: 'Save delete policy' }).click();
    await onGuest
      .getByTestId('status-message')
      .filter({ hasText: 'Saved the item delete policy.' })
      .waitFor();
    assert.equal(await onGuest.getByLabel('This portal deletes the items it received').isChecked(), true);
    assert.equal(
      await onGuest.getByLabel('Partners delete the items this portal sent them').isChecked(),
      false,
    );
    await onGuest.reload();
    await onGuest.getByRole('heading', { name: 'When a partnership ends' }).waitFor();
    assert.equal(await onGuest.getByLabel('This portal deletes the items it received').isChecked(), true);
  });

  test('the host makes the guest receive-only in Hydrology; the guest is told', async () => {
    await onHost.getByRole('button', { name: `Access modes of ${guest.base}` }).click();
    const form = onHost.getByRole('form', { name: `Access modes of ${guest.base}` });
    await form.getByLabel('Access to Hydrology').selectOption({ label: 'Receive only' });
    await form.getByRole('button', { name: 'Save access modes' }).click();
    await onHost
      .getByTestId('status-message')
      .filter({ hasText: `Saved the access modes of ${guest.base}. It was told.` })
      .waitFor();
    await onHost.getByTestId('participant-row').filter({ hasText: 'Hydrology: Receive only' }).waitFor();
    await onGuest.reload();
    await onGuest.getByTestId('participant-row').filter({ hasText: 'Hydrology: Receive only' }).waitFor();
  });

  test('a copy received, then unshared on the host: the next sync keeps it, marked no longer synced', async () => {
    const mapId = await hostItemSharedWith(groupId, 'Flood map', {
      type: 'Web Map',
      text: JSON.stringify({ operationalLayers: [], baseMap: { baseMapLayers: [], title: 'None' } }),
    });
    const row = onGuest.getByRole('listitem', { name: 'Hydrology' });
    const syncAndWait = async (runs: number) => {
      await row.getByRole('button', { name: 'Sync now' }).click();
      await until(async () => (await row.getByTestId('sync-run').count()) === runs);
      await row
        .getByTestId('sync-run')
        .first()
        .getByTestId('sync-status')
        .filter({ hasText: /^Completed$/ })
        .waitFor({ timeout: 30_000 });
    };
    await row.getByTestId('sync-run').first().waitFor(); // the runs so far are listed
    const before = await row.getByTestId('sync-run').count();
    await syncAndWait(before + 1);
    const unshared = (await (
      await fetch(`${host.base}/sharing/rest/content/items/${mapId}/unshare`, {
        method: 'POST',
        dispatcher: host.dispatcher,
        body: new URLSearchParams({ f: 'json', token: hostToken, groups: groupId }),
      })
    ).json()) as { error?: unknown };
    assert.ok(!unshared.error, JSON.stringify(unshared));
    await syncAndWait(before + 2);

    await onGuest.goto(`${guest.base}/home/search.html?q=${encodeURIComponent('"Flood map"')}`);
    const found = onGuest.getByRole('row').filter({ hasText: 'Flood map' });
    await found.getByTestId('origin-badge').filter({ hasText: 'Received, no longer synced' }).waitFor();
    await found.getByRole('link', { name: 'Flood map' }).click();
    await onGuest
      .getByTestId('origin-synced')
      .filter({ hasText: /^No: its origin was unshared/ })
      .waitFor();
    await shot(onGuest, '12-unsynced-copy');
    await onGuest.goto(`${guest.base}${LIST}`);
    await onGuest.getByTestId('collaboration-row').getByRole('link', { name: 'Rivers' }).click();
    await onGuest.getByRole('heading', { name: 'Rivers', level: 1 }).waitFor();
  });

  test('the host down: Sync now fails and its history says why; the host back, the next sync completes', async () => {
    const hostHome = join(dir, 'host');
    const row = onGuest.getByRole('listitem', { name: 'Hydrology' });
    await row.getByTestId('sync-run').first().waitFor(); // the runs so far are listed
    const before = await row.getByTestId('sync-run').count();
    // Down at once, as a crash or a pulled cable would leave it (SIGTERM's graceful stop can take long).
    host.child.kill('SIGKILL');
    await host.stop();
    await row.getByRole('button', { name: 'Sync now' }).click();
    const failed = row.getByTestId('sync-run').first();
    await failed
      .getByTestId('sync-status')
      .filter({ hasText: /^Failed$/ })
      .waitFor({ timeout: 30_000 });
    await failed.getByRole('button', { name: 'History' }).click();
    const history = failed.getByTestId('sync-history');
    await history.waitFor();
    assert.match((await history.textContent()) ?? '', new RegExp(`${host.base}.*could not be reached`, 's'));
    await shot(onGuest, '13-sync-failed');

    host = await startPortalProcess(hostHome, ENV, { port: host.port });
    await row.getByRole('button', { name: 'Sync now' }).click();
    await row
      .getByTestId('sync-run')
      .first()
      .getByTestId('sync-status')
      .filter({ hasText: /^Completed$/ })
      .waitFor({ timeout: 30_000 });
    assert.equal(await row.getByTestId('sync-run').count(), before + 2, 'a failed run, then a completed one');
    await onHost.reload();
    await onHost.getByTestId('participant-state').filter({ hasText: 'Active' }).waitFor();
  });

  test('real-time sync on the guest: an item the host shares arrives with no Sync now; then turned off', async () => {
    const row = onGuest.getByRole('listitem', { name: 'Hydrology' });
    const setRealtime = async (on: boolean) => {
      await row.getByRole('button', { name: 'Group link of Hydrology' }).click();
      const form = onGuest.getByRole('form', { name: 'Group link of Hydrology' });
      await form.getByLabel('Sync in real time (changes travel as they happen)').setChecked(on);
      await form.getByRole('button', { name: 'Save link' }).click();
      await onGuest
        .getByTestId('status-message')
        .filter({ hasText: 'Saved the group link of Hydrology.' })
        .waitFor();
    };
    await setRealtime(true);
    await row
      .getByTestId('workspace-link')
      .filter({ hasText: /^Real-time sync/ })
      .waitFor();
    await row.getByTestId('realtime-note').waitFor();
    await hostItemSharedWith(groupId, 'Rain gauges', {
      type: 'Document Link',
      url: 'https://example.org/rain',
    });
    await until(async () => {
      await onGuest.goto(`${guest.base}/home/group.html?id=${guestGroupId}`);
      await onGuest.getByTestId('item-table').waitFor();
      return (await onGuest.getByRole('link', { name: 'Rain gauges' }).count()) === 1;
    }, 30_000);
    await onGuest.goto(`${guest.base}${LIST}`);
    await onGuest.getByTestId('collaboration-row').getByRole('link', { name: 'Rivers' }).click();
    await setRealtime(false);
    await row
      .getByTestId('workspace-link')
      .filter({ hasText: /^Sync on demand/ })
      .waitFor();
  });

  test('the host removes the participant (the guest is told), then deletes the collaboration', async () => {
    await onHost.getByRole('button', { name: `Remove ${guest.base}` }).click();
    await onHost.getByRole('button', { name: 'Remove participant' }).click();
    await onHost
      .getByTestId('status-message')
      .filter({ hasText: `Removed ${guest.base}. It was told.` })
      .waitFor();
    await onHost.getByTestId('participant-state').filter({ hasText: 'Removed' }).waitFor();

    await onGuest.reload();
    await onGuest.getByTestId('left-collaboration').waitFor();
    assert.equal(await onGuest.getByTestId('participant-state').textContent(), 'Removed');
    // Nothing to sync, link or set any more; the history stays.
    await onGuest.getByTestId('sync-ended').first().waitFor();
    assert.equal(await onGuest.getByRole('button', { name: 'Sync now' }).count(), 0);
    assert.equal(await onGuest.getByRole('button', { name: 'Group link of Hydrology' }).count(), 0);
    assert.equal(await onGuest.getByRole('button', { name: 'Save delete policy' }).count(), 0);
    assert.ok((await onGuest.getByTestId('sync-run').count()) > 0, 'the history stays');
    await shot(onGuest, '14-removed');

    await onHost.getByRole('button', { name: 'Delete collaboration' }).click();
    await onHost.getByRole('button', { name: 'Delete', exact: true }).click();
    await onHost.getByTestId('no-collaborations').waitFor();
  });

  /** The administrator of `portal` imports `caPem` as a trusted root (portaladmin importRootOrIntermediate). */
  async function importCa(portal: PortalProcess, token: string, alias: string, caPem: string): Promise<void> {
    const imported = (await (
      await fetch(`${portal.base}/portaladmin/security/sslCertificates/importRootOrIntermediate`, {
        method: 'POST',
        dispatcher: portal.dispatcher,
        body: new URLSearchParams({ f: 'json', token, alias, certificate: caPem }),
      })
    ).json()) as { aliases?: string[] };
    assert.deepEqual(imported.aliases, [alias], JSON.stringify(imported));
  }

  test('portals whose administrators trust each other’s CA: validated with no confirmation, accepted, imported; the guest leaves', async () => {
    // The first collaboration's trust entries went with its partnership; these are the administrators' own.
    await importCa(host, hostToken, 'guest-portal-ca', guest.caPem);
    await importCa(guest, guestToken, 'host-portal-ca', host.caPem);
    await onHost.getByRole('button', { name: 'Create collaboration' }).click();
    await onHost.getByLabel('Name', { exact: true }).fill('Coasts');
    await onHost.getByLabel('First workspace name').fill('Shorelines');
    await onHost.getByLabel('Linked group').selectOption({ label: 'River wardens' });
    await onHost.getByLabel("This portal's access").selectOption({ label: 'Send only' });
    await onHost.getByRole('button', { name: 'Create', exact: true }).click();
    await onHost.getByRole('link', { name: 'Coasts' }).click();
    assert.equal(await onHost.getByTestId('collaboration-access').textContent(), 'Send only');
    await onHost.getByRole('button', { name: 'Invite participant' }).click();
    await onHost.getByLabel('Guest portal URL').fill(guest.base);
    await onHost.getByLabel('Access to Shorelines').selectOption({ label: 'Receive only' });
    const invitation = await downloaded(onHost, () =>
      onHost.getByRole('button', { name: 'Invite and download the invitation file' }).click(),
    );

    await onGuest.goto(`${guest.base}${LIST}`);
    await onGuest.getByRole('button', { name: 'Accept invitation' }).click();
    await onGuest.getByLabel('Invitation file').setInputFiles(invitation.path);
    await onGuest.getByRole('button', { name: 'Validate invitation' }).click();
    const checked = onGuest.getByTestId('invitation-checked');
    await checked.waitFor();
    assert.match(
      (await checked.textContent()) ?? '',
      /Valid invitation to Coasts from .*Shorelines · Receive only/s,
    );
    assert.equal(await onGuest.getByTestId('untrusted-partner').count(), 0, 'the host is trusted already');
    await onGuest.getByRole('button', { name: 'Accept invitation' }).click();
    const accepted = onGuest.getByTestId('invitation-accepted');
    await accepted.waitFor();
    // The guest links its group before it sends the response: the response names it to the host.
    await accepted.getByRole('link', { name: 'Open the collaboration' }).click();
    await onGuest.getByRole('heading', { name: 'Coasts', level: 1 }).waitFor();
    await linkGuestGroup('Shorelines', 'Partner rivers');
    const response = await downloaded(onGuest, () =>
      onGuest.getByRole('button', { name: 'Download response file' }).click(),
    );

    await onHost.getByRole('button', { name: 'Import response' }).click();
    await onHost.getByLabel('Response file').setInputFiles(response.path);
    await onHost.getByRole('button', { name: 'Validate response' }).click();
    await onHost.getByTestId('response-checked').waitFor();
    assert.equal(await onHost.getByTestId('untrusted-partner').count(), 0, 'the guest is trusted already');
    await onHost.getByRole('button', { name: 'Import response' }).click();
    await onHost.getByTestId('status-message').filter({ hasText: 'is now a participant' }).waitFor();
    assert.equal(await onHost.getByTestId('participant-state').textContent(), 'Active');
    assert.match(
      (await onHost.getByTestId('participant-row').textContent()) ?? '',
      /Shorelines: Receive only/,
    );
    assert.equal(
      await onHost.getByTestId('participant-linked-groups').textContent(),
      'Shorelines: Partner rivers',
    );

    await onGuest.getByRole('button', { name: 'Leave collaboration' }).click();
    await onGuest.getByRole('button', { name: 'Leave', exact: true }).click();
    await onGuest
      .getByTestId('status-message')
      .filter({ hasText: 'Left Coasts. The host was told.' })
      .waitFor();
    await onGuest.getByTestId('left-collaboration').waitFor();
    await shot(onGuest, '15-left');
    await onHost.reload();
    await onHost.getByRole('heading', { name: 'Coasts', level: 1 }).waitFor();
    await onHost.getByTestId('participant-state').filter({ hasText: 'Removed' }).waitFor();

    // Having left, the guest deletes its own record of the collaboration.
    await onGuest.getByRole('button', { name: "Delete this portal's record" }).click();
    await onGuest.getByRole('button', { name: 'Delete record', exact: true }).click();
    const rows = onGuest.getByTestId('guest-collaborations').getByTestId('collaboration-row');
    await rows.filter({ hasText: 'Rivers' }).waitFor();
    assert.equal(await rows.filter({ hasText: 'Coasts' }).count(), 0, 'Coasts is gone from the guest');
  });

  test('no Content-Security-Policy violation on either portal', () => {
    assert.deepEqual(violations, []);
  });
});
