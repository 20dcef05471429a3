/**
 * My content, items, sharing and search in Chromium against a real portal, as a publisher:
 * a file item shows its file's name and size and downloads as that file; data that does not
 * match the declared type is refused with the portal's reason; title, summary, description,
 * tags and thumbnail are edited; the share dialog lists the groups an item is shared with and
 * removes one; folders are created and items moved; search filters by type, owner and tag and
 * sorts; the organisation's default sharing applies to the Add item form.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import { solidPng } from './solid-png.ts';
import { signInThroughUi, until } from './ui-helpers.ts';

const USER = 'dana_pub';
const PASSWORD = 'Dana-passw0rd';
const CSV = Buffer.from('station,level_m\nKingston,2.31\nTeddington,3.05\nRichmond,1.98\n');
const WEB_MAP = JSON.stringify({
  operationalLayers: [],
  baseMap: { baseMapLayers: [], title: 'Topographic' },
});

describe('content pages in Chromium', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let token: string;
  const groups = { survey: '', crews: '' };
  /** The file item added in the first test. */
  let itemId = '';

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    page = await chromium.browser.newPage({ locale: 'en-US', acceptDownloads: true });
    const created = await portal.call('/portaladmin/security/users/createUser', {
      token: await portal.token(),
      username: USER,
      password: PASSWORD,
      firstname: 'Dana',
      lastname: 'Reyes',
      email: 'dana@example.org',
      role: 'org_publisher',
    });
    assert.equal(created.status, 'success', JSON.stringify(created));
    token = await portal.token(USER, PASSWORD);
    for (const [key, title] of [
      ['survey', 'Survey team'],
      ['crews', 'Field crews'],
    ] as const) {
      const g = await portal.call('/sharing/rest/community/createGroup', { token, title, access: 'org' });
      assert.ok(g.group?.id, JSON.stringify(g));
      groups[key] = g.group.id;
    }
    await signInThroughUi(page, portal.url, USER, PASSWORD);
  });

  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  async function item(id: string) {
    return portal.call(`/sharing/rest/content/items/${id}`, { token }, { method: 'GET' });
  }

  async function countShared(id: string, groupId: string): Promise<number> {
    const r = await portal.call(
      '/sharing/rest/search',
      { q: `id:${id} AND group:${groupId}`, token },
      { method: 'GET' },
    );
    return r.total;
  }

  async function addThroughApi(
    title: string,
    fields: Record<string, string>,
    owner: { username: string; token: string } = { username: USER, token },
  ) {
    const r = await portal.call(`/sharing/rest/content/users/${owner.username}/addItem`, {
      token: owner.token,
      title,
      ...fields,
    });
    assert.equal(r.success, true, JSON.stringify(r));
    return r.id as string;
  }

  test('a file item shows its file name and size, and downloads as that file', async () => {
    await page.goto(`${portal.url}/home/content.html`);
    const form = page.getByTestId('add-item-form');
    await form.getByLabel('Title').fill('River gauges');
    await form.getByLabel('Type').selectOption('CSV');
    await form.getByLabel('Tags').fill('gauges, rivers');
    await form
      .getByLabel('File')
      .setInputFiles({ name: 'river gauges.csv', mimeType: 'text/csv', buffer: CSV });
    await form.getByRole('button', { name: 'Add item' }).click();
    await page.getByRole('status').getByRole('link', { name: 'Open the item' }).click();
    await page.getByRole('heading', { name: 'River gauges', level: 1 }).waitFor();
    itemId = new URL(page.url()).searchParams.get('id') ?? '';

    const onServer = await item(itemId);
    assert.equal(onServer.name, 'river gauges.csv');
    assert.equal(onServer.size, CSV.length);
    assert.equal(await page.getByTestId('item-file-name').textContent(), 'river gauges.csv');
    assert.equal(await page.getByTestId('item-file-size').textContent(), `${CSV.length} bytes`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('item-data').getByRole('link', { name: 'Download' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'river gauges.csv');
    assert.deepEqual(readFileSync(await download.path()), CSV);
  });

  test('data that does not match the declared type is refused with the reason, and nothing is added', async () => {
    await page.goto(`${portal.url}/home/content.html`);
    const form = page.getByTestId('add-item-form');
    await form.getByLabel('Title').fill('Not really GeoJSON');
    await form.getByLabel('Type').selectOption('GeoJson');
    await form.getByLabel('Text').fill('{"name": "a web page, not features"}');
    await form.getByRole('button', { name: 'Add item' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /declared as "GeoJson".*GeoJSON/);
    const mine = await portal.call(
      `/sharing/rest/content/users/${USER}`,
      { token, num: 100 },
      { method: 'GET' },
    );
    assert.deepEqual(
      mine.items.map((i: { title: string }) => i.title),
      ['River gauges'],
    );
  });

  test('edit title, summary, description, tags and thumbnail; an emptied field is cleared', async () => {
    await page.goto(`${portal.url}/home/item.html?id=${itemId}`);
    await page.getByRole('button', { name: 'Edit' }).click();
    const form = page.getByRole('form', { name: 'Edit item' });
    assert.equal(await form.getByLabel('Tags').inputValue(), 'gauges, rivers');
    await form.getByLabel('Title').fill('River gauges (2025)');
    await form.getByLabel('Summary').fill('Daily water levels');
    await form.getByLabel('Description').fill('Levels at three gauges.\n<b>Not bold</b>');
    await form.getByLabel('Tags').fill('gauges, levels');
    const png = solidPng(40, 30, [11, 95, 174]);
    await form
      .getByLabel('Thumbnail')
      .setInputFiles({ name: 'gauges.png', mimeType: 'image/png', buffer: png });
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Item "River gauges (2025)" saved.' }).waitFor();
    await page.getByRole('heading', { name: 'River gauges (2025)', level: 1 }).waitFor();

    const onServer = await item(itemId);
    assert.equal(onServer.title, 'River gauges (2025)');
    assert.equal(onServer.snippet, 'Daily water levels');
    // A multipart body (the thumbnail is a file) carries line breaks as CRLF, as browsers send them.
    assert.equal(onServer.description.replace(/\r\n/g, '\n'), 'Levels at three gauges.\n<b>Not bold</b>');
    assert.deepEqual(onServer.tags, ['gauges', 'levels']);
    assert.ok(onServer.thumbnail, 'the item has a thumbnail');
    const served = await portal.fetch(
      `/sharing/rest/content/items/${itemId}/info/${onServer.thumbnail}?token=${token}`,
    );
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), png);
    // The page shows the stored image (decoded by the browser), and the description as text.
    const img = page.getByTestId('item-thumbnail');
    await img.waitFor();
    const decodedWidth = () => img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth);
    await until(async () => (await decodedWidth()) > 0);
    assert.equal(await decodedWidth(), 40);
    assert.equal(await page.getByTestId('item-description').locator('b').count(), 0);
    assert.equal(await page.getByTestId('item-summary').textContent(), 'Daily water levels');

    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByRole('form', { name: 'Edit item' }).getByLabel('Summary').fill('');
    await page.getByRole('form', { name: 'Edit item' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'saved.' }).waitFor();
    await page.getByRole('button', { name: 'Edit' }).waitFor();
    const after = await item(itemId);
    assert.equal(after.snippet ?? '', '');
    assert.equal(after.title, 'River gauges (2025)');
    assert.ok(after.thumbnail, 'the thumbnail is kept when no new one is chosen');
  });

  test('the share dialog lists the groups an item is shared with and removes one', async () => {
    const shared = await portal.call(`/sharing/rest/content/items/${itemId}/share`, {
      token,
      groups: `${groups.survey},${groups.crews}`,
    });
    assert.deepEqual(shared.notSharedWith, []);
    await page.goto(`${portal.url}/home/content.html`);
    await page
      .getByTestId(`item-row-${itemId}`)
      .getByRole('button', { name: /^Share/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Share "River gauges (2025)"' });
    const current = dialog.getByTestId('current-shares');
    await current.getByText('Field crews').waitFor();
    assert.deepEqual((await current.getByRole('listitem').allTextContents()).sort(), [
      'Field crewsRemove',
      'Survey teamRemove',
    ]);
    // A group it is shared with is not offered again.
    assert.equal(await dialog.getByRole('checkbox', { name: 'Field crews' }).count(), 0);

    await dialog.getByRole('button', { name: 'Remove Field crews' }).click();
    await dialog.getByRole('status').filter({ hasText: 'No longer shared with Field crews.' }).waitFor();
    await current.getByText('Field crews').waitFor({ state: 'detached' });
    assert.equal(await countShared(itemId, groups.crews), 0);
    assert.equal(await countShared(itemId, groups.survey), 1);
    assert.equal((await item(itemId)).access, 'shared');
    // Now it can be added again.
    await dialog.getByRole('checkbox', { name: 'Field crews' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('create a folder and move an item into it and back', async () => {
    await page.goto(`${portal.url}/home/content.html`);
    await page.getByLabel('New folder name').fill('Survey 2025');
    await page.getByRole('button', { name: 'Create folder' }).click();
    await page.getByRole('heading', { name: 'Survey 2025', level: 2 }).waitFor();
    const folderId = new URL(page.url()).searchParams.get('folder') ?? '';
    const listed = await portal.call(`/sharing/rest/content/users/${USER}`, { token }, { method: 'GET' });
    assert.deepEqual(
      listed.folders.map((f: { id: string; title: string }) => [f.id, f.title]),
      [[folderId, 'Survey 2025']],
    );

    const folders = page.getByRole('navigation', { name: 'Folders' });
    await folders.getByRole('link', { name: `${USER} (root)` }).click();
    const row = page.getByTestId(`item-row-${itemId}`);
    await row.getByRole('button', { name: /^Move/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Move "River gauges (2025)"' });
    await dialog.getByLabel('Move to folder').selectOption({ label: 'Survey 2025' });
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'moved to Survey 2025' }).waitFor();
    await row.waitFor({ state: 'detached' });
    const inFolder = await portal.call(
      `/sharing/rest/content/users/${USER}/${folderId}`,
      { token },
      { method: 'GET' },
    );
    assert.deepEqual(
      inFolder.items.map((i: { id: string }) => i.id),
      [itemId],
    );
    assert.equal((await item(itemId)).ownerFolder, folderId);

    await folders.getByRole('link', { name: 'Survey 2025' }).click();
    await row.getByRole('button', { name: /^Move/ }).click();
    await dialog.getByLabel('Move to folder').selectOption({ label: `${USER} (root folder)` });
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'moved to dana_pub (root folder)' }).waitFor();
    await row.waitFor({ state: 'detached' });
    assert.equal((await item(itemId)).ownerFolder, null);
  });

  test('search with type, owner and tag filters, sorted by title', async () => {
    const admin = { username: 'admin', token: await portal.token() };
    await addThroughApi('Alpha rivers', { type: 'Web Map', tags: 'rivers', text: WEB_MAP });
    await addThroughApi('Beta rivers', { type: 'CSV', tags: 'rivers', text: 'a,b\n1,2\n' });
    await addThroughApi('Gamma rivers', { type: 'Web Map', tags: 'lakes', text: WEB_MAP });
    const delta = await addThroughApi(
      'Delta rivers',
      { type: 'Web Map', tags: 'rivers', text: WEB_MAP },
      admin,
    );
    await portal.call(`/sharing/rest/content/items/${delta}/share`, { token: admin.token, org: true });

    const titles = () => page.getByTestId('item-table').getByRole('link').allTextContents();
    const filters = page.getByRole('form', { name: 'Search filters' });
    await page.goto(`${portal.url}/home/search.html`);
    await filters.getByLabel('Words').fill('rivers');
    await filters.getByLabel('Type').selectOption('Web Map');
    await filters.getByLabel('Owner').fill(USER);
    await filters.getByLabel('Tag').fill('rivers');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('search-summary').filter({ hasText: '1 found' }).waitFor();
    assert.deepEqual(await titles(), ['Alpha rivers']);

    await filters.getByLabel('Owner').fill('');
    await filters.getByLabel('Sort by').selectOption('title');
    await filters.getByLabel('Order').selectOption('desc');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByTestId('search-summary').filter({ hasText: '2 found' }).waitFor();
    assert.deepEqual(await titles(), ['Delta rivers', 'Alpha rivers']);
    // The page asked exactly what the API answers for the same filters and order.
    const api = await portal.call(
      '/sharing/rest/search',
      { q: '(rivers) AND type:"Web Map" AND tags:rivers', sortField: 'title', sortOrder: 'desc', token },
      { method: 'GET' },
    );
    assert.deepEqual(
      api.results.map((i: { title: string }) => i.title),
      ['Delta rivers', 'Alpha rivers'],
    );
    // The filters live in the address: a reload shows the same results.
    await page.reload();
    await page.getByTestId('search-summary').filter({ hasText: '2 found' }).waitFor();
    assert.equal(await filters.getByLabel('Sort by').inputValue(), 'title');
    assert.deepEqual(await titles(), ['Delta rivers', 'Alpha rivers']);
  });

  test("the organisation's default sharing is what the Add item form starts with", async () => {
    const set = await portal.call('/sharing/rest/portals/self/update', {
      token: await portal.token(),
      defaultItemAccess: 'org',
    });
    assert.equal(set.success, true, JSON.stringify(set));
    await page.goto(`${portal.url}/home/content.html`);
    const form = page.getByTestId('add-item-form');
    // The form starts at the private level until portals/self answers, then at the default.
    await until(async () => (await form.getByLabel('Share with').inputValue()) === 'org');
    await form.getByLabel('Title').fill('Org-wide flood map');
    await form.getByLabel('Text').fill(WEB_MAP);
    await form.getByRole('button', { name: 'Add item' }).click();
    await page.getByRole('status').getByRole('link', { name: 'Open the item' }).click();
    await page.getByRole('heading', { name: 'Org-wide flood map', level: 1 }).waitFor();
    const id = new URL(page.url()).searchParams.get('id') ?? '';
    assert.equal((await item(id)).access, 'org');
  });
});
