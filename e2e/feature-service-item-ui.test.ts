/**
 * A Feature Service item's page in Debian's Chromium, against a real portal process and a real
 * GIS server process federated with it (through the API, to be quick): `meridian server
 * publish` of 3,000 points (more than one 2,000-feature page) makes the item through the
 * server's registerService; signed in as the administrator, the item page reads the service
 * straight from the server (the portal's server token; the server's CORS for the portal's
 * origin; the portal's CSP naming the server): the map draws every feature (pixels differ from
 * the background), the layer's fields, the attribute table pages with the right count; the
 * Publish panel of a GeoJSON item follows its job to the new item. An item
 * of a server that is not federated, or of a federated server that is down, shows a clear error.
 * The organisation's basemap, set in Organization › Settings › General to a small HTTPS tile
 * server started here (its CA made here, trusted by the browser and nothing else): a bad URL is
 * refused with the portal's error, the map then shows tile pixels under the features with the
 * attribution; after removing it the map draws on its plain background again and asks the
 * tile server for nothing (offline). No CSP violation in the console.
 * Screenshots: /tmp/meridian-feature-item-ui-*.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '../bench/processes.ts';
import { cli } from '../packages/cli/src/commands/test-cli.ts';
import { launchTrustingChromium } from './browser.ts';
import { gridPoints, pointsGeoJson } from './gis/points.ts';
import { eventually, type Json, PORTAL_ADMIN_PASSWORD, type Sites, startSites } from './gis/sites.ts';
import { startTileServer, type TileServer } from './tile-server.ts';
import { signInThroughUi } from './ui-helpers.ts';

const POINTS = gridPoints(3000);
const PAGE_SIZE = 25;

/** Pixels of the map's canvas that are drawn (not transparent, not the background). */
const DRAWN_PIXELS = `(() => {
  const canvases = [...document.querySelectorAll('[data-testid="feature-map"] canvas')];
  let drawn = 0, total = 0;
  for (const c of canvases) {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    total += d.length / 4;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0) drawn++;
  }
  return { canvases: canvases.length, drawn, total };
})()`;

/** The colour of every basemap tile (amber: unlike the blue features and the grey background). */
const TILE_COLOUR: [number, number, number] = [250, 200, 40];

/** Pixels of the map's canvases that are basemap tile (exactly its colour) and that are features (blue). */
const TILE_AND_FEATURE_PIXELS = `(() => {
  const [tr, tg, tb] = ${JSON.stringify(TILE_COLOUR)};
  let tile = 0, feature = 0, total = 0;
  for (const c of document.querySelectorAll('[data-testid="feature-map"] canvas')) {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    total += d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
      if (a === 255 && Math.abs(r - tr) <= 3 && Math.abs(g - tg) <= 3 && Math.abs(b - tb) <= 3) tile++;
      else if (a > 0 && b > r + 60) feature++;
    }
  }
  return { tile, feature, total };
})()`;

describe('a Feature Service item page in Chromium (a portal and a federated GIS server, two processes)', () => {
  let sites: Sites;
  let token: string;
  let itemId: string;
  let goneItemId: string;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;
  let tiles: TileServer;
  const violations: string[] = [];
  const shot = (name: string) =>
    page.screenshot({ path: `/tmp/meridian-feature-item-ui-${name}.png`, fullPage: true });

  before(async () => {
    sites = await startSites('feature-item-ui');
    token = await sites.portalToken();
    const { answer } = await sites.federate(token);
    assert.equal(answer.status, 'success', JSON.stringify(answer));
    const work = join(sites.dir, 'work');
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, 'points.geojson'), pointsGeoJson(POINTS));
    const r = await cli(
      ['server', 'publish', 'points.geojson', '--name', 'Points3k', '--home', sites.server.home],
      '',
      { cwd: work, env: { ...process.env, MERIDIAN_LOG_LEVEL: 'warn' } },
    );
    assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
    const found = await eventually(
      () => sites.call(`${sites.portalUrl}/sharing/rest/search`, { q: 'type:"Feature Service"', token }),
      (s: Json) => (s.results ?? []).some((i: Json) => /Points3k/.test(i.url ?? '')),
    );
    itemId = found.results.find((i: Json) => /Points3k/.test(i.url ?? ''))?.id;
    assert.ok(itemId, `no item: ${JSON.stringify(found).slice(0, 500)}`);
    // A service on a server that is not there (nothing listens on the port).
    const gone = await sites.call(`${sites.portalUrl}/sharing/rest/content/users/admin/addItem`, {
      title: 'Unreachable service',
      type: 'Feature Service',
      url: `https://localhost:${await freePort()}/arcgis/rest/services/Gone/FeatureServer`,
      token,
    });
    assert.ok(gone.id, JSON.stringify(gone));
    goneItemId = gone.id;
    tiles = await startTileServer(TILE_COLOUR);
    chromium = await launchTrustingChromium([sites.portal.caPem, sites.server.caPem, tiles.caPem]);
    page = await chromium.browser.newPage({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
    page.setDefaultTimeout(30_000);
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to|CORS/i.test(m.text())) violations.push(m.text());
    });
  });

  after(async () => {
    await chromium?.close();
    await tiles?.close();
    await sites?.close();
  });

  test('the map draws every feature of the layer', async () => {
    await signInThroughUi(page, sites.portalUrl, 'admin', PORTAL_ADMIN_PASSWORD);
    await page.goto(`${sites.portalUrl}/home/item.html?id=${itemId}`);
    await page.getByTestId('feature-service').waitFor();
    const caption = page.getByTestId('map-caption');
    await caption.filter({ hasText: 'The map shows all 3,000 features.' }).waitFor();
    // OpenLayers renders on its next animation frame: wait until the canvas has drawn points.
    let pixels = { canvases: 0, drawn: 0, total: 0 };
    await eventually(
      async () => (pixels = (await page.evaluate(DRAWN_PIXELS)) as typeof pixels),
      (p) => p.drawn > 500,
      10_000,
    );
    assert.ok(pixels.canvases > 0, 'a canvas');
    assert.ok(pixels.drawn > 500, `points drawn: ${JSON.stringify(pixels)}`);
    assert.ok(pixels.drawn < pixels.total, `not everything drawn: ${JSON.stringify(pixels)}`);
    await shot('1-map');
  });

  test("the layer's fields", async () => {
    const names = await page.getByTestId('layer-fields').locator('tbody th').allTextContents();
    assert.ok(names.includes('name'), names.join());
    assert.ok(names.includes('rank'), names.join());
    assert.ok(names.length >= 3, `an object-ID field too: ${names.join()}`);
  });

  test('the attribute table: the count, and pages of 25 in object-ID order', async () => {
    await page.getByTestId('feature-count').filter({ hasText: '(3,000 features)' }).waitFor();
    const table = page.getByTestId('layer-data');
    const range = page.getByTestId('pager-range');
    assert.equal(await range.textContent(), `1–${PAGE_SIZE} of 3000`);
    assert.equal(await table.locator('tbody tr').count(), PAGE_SIZE);
    const headers = await table.locator('thead th').allTextContents();
    const nameColumn = headers.indexOf('name');
    assert.ok(nameColumn >= 0, headers.join());
    const firstName = () => table.locator('tbody tr').first().locator('td').nth(nameColumn).textContent();
    assert.equal(await firstName(), 'pt-0');
    const pages = page.getByRole('navigation', { name: 'Pages' });
    await pages.getByRole('button', { name: 'Next' }).click();
    await range.filter({ hasText: `26–50 of 3000` }).waitFor();
    await eventually(firstName, (n) => n === 'pt-25', 10_000);
    assert.equal(await firstName(), 'pt-25');
    assert.equal(await table.locator('tbody tr').count(), PAGE_SIZE);
    await shot('2-table-page-2');
    await pages.getByRole('button', { name: 'Previous' }).click();
    await range.filter({ hasText: `1–${PAGE_SIZE} of 3000` }).waitFor();
  });

  test('an item of a server that is not federated says so, and the page does not call it', async () => {
    await page.goto(`${sites.portalUrl}/home/item.html?id=${goneItemId}`);
    const error = page.getByTestId('service-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    assert.match(text, /could not be read/);
    assert.match(text, /not federated with this portal/, text);
    assert.equal(await page.getByTestId('feature-map').count(), 0);
    await shot('3-not-federated');
  });

  test('Publish on a GeoJSON item follows its job to the new Feature Service item', async () => {
    const added = await sites.upload(
      `${sites.portalUrl}/sharing/rest/content/users/admin/addItem`,
      { token, type: 'GeoJson', title: 'Survey points', tags: 'survey' },
      { file: { name: 'survey.geojson', data: pointsGeoJson(POINTS.slice(0, 200)) } },
    );
    assert.ok(added.id, JSON.stringify(added));
    await page.goto(`${sites.portalUrl}/home/item.html?id=${added.id}`);
    const panel = page.getByTestId('publish-panel');
    await panel.waitFor();
    assert.equal(await panel.getByLabel('Service name').inputValue(), 'Survey_points');
    await panel.getByRole('button', { name: 'Publish' }).click();
    const link = panel.getByTestId('published-item-link');
    await link.waitFor();
    await shot('4-published');
    await link.click();
    await page.waitForURL((u) => u.searchParams.get('id') !== added.id);
    await page
      .getByTestId('feature-service')
      .filter({ hasText: /Survey_points\/FeatureServer/ })
      .waitFor();
    await page.getByTestId('map-caption').filter({ hasText: 'The map shows all 200 features.' }).waitFor();
  });

  test('Settings › General: a basemap on a tile server; a bad URL is refused with the reason', async () => {
    await page.goto(`${sites.portalUrl}/home/organization/settings.html`);
    const form = page.getByRole('form', { name: 'Organization settings' });
    const none = form.getByLabel('None — the map works offline');
    await none.waitFor();
    assert.equal(await none.isChecked(), true, 'no basemap by default');
    await form.getByLabel('Tiles from a tile server').check();
    await form.getByLabel('Tile URL template').fill('http://tiles.example.org/{z}/{x}/{y}.png');
    await form.getByLabel('Basemap title').fill('Test tiles');
    await form.getByLabel('Attribution').fill('© Meridian test tiles <b>not bold</b>');
    await form.getByRole('button', { name: 'Save' }).click();
    await form.getByRole('alert').filter({ hasText: 'uses plain http://' }).waitFor();
    await shot('6-basemap-refused');
    assert.equal(
      (await sites.call(`${sites.portalUrl}/sharing/rest/portals/self`, {})).defaultBasemap,
      undefined,
    );

    await form.getByLabel('Tile URL template').fill(`${tiles.origin}/tiles/{z}/{x}/{y}.png`);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    await shot('7-basemap-saved');
    const self = await sites.call(`${sites.portalUrl}/sharing/rest/portals/self`, {});
    assert.deepEqual(self.defaultBasemap, {
      title: 'Test tiles',
      baseMapLayers: [
        {
          layerType: 'WebTiledLayer',
          templateUrl: `${tiles.origin}/tiles/{level}/{col}/{row}.png`,
          copyright: '© Meridian test tiles <b>not bold</b>',
        },
      ],
    });
    // Mounted again with what the server holds.
    assert.equal(
      await form.getByLabel('Tile URL template').inputValue(),
      self.defaultBasemap.baseMapLayers[0].templateUrl,
    );
  });

  test('the map shows the basemap tiles under the features, with the attribution', async () => {
    await page.goto(`${sites.portalUrl}/home/item.html?id=${itemId}`);
    const caption = page.getByTestId('map-caption');
    await caption.filter({ hasText: 'The map shows all 3,000 features.' }).waitFor();
    assert.match((await caption.textContent()) ?? '', /Basemap: Test tiles\./);
    let pixels = { tile: 0, feature: 0, total: 0 };
    await eventually(
      async () => (pixels = (await page.evaluate(TILE_AND_FEATURE_PIXELS)) as typeof pixels),
      (p) => p.tile > p.total / 10 && p.feature > 500,
      15_000,
    );
    assert.ok(pixels.tile > pixels.total / 10, `tile pixels: ${JSON.stringify(pixels)}`);
    assert.ok(pixels.feature > 500, `feature pixels over the tiles: ${JSON.stringify(pixels)}`);
    // The attribution is shown as text (not markup).
    const attribution = page.getByTestId('feature-map').locator('.ol-attribution');
    await attribution.filter({ hasText: '© Meridian test tiles <b>not bold</b>' }).waitFor();
    assert.equal(await attribution.locator('b').count(), 0);
    assert.equal(await page.getByTestId('basemap-error').count(), 0);
    assert.ok(tiles.requests.length > 0, 'the browser asked the tile server');
    const origin = new URL(sites.portalUrl).origin;
    for (const r of tiles.requests) {
      assert.equal(r.origin, origin, 'tiles are CORS requests from the portal page');
      assert.ok(r.z >= 0 && r.z <= 18 && r.x < 2 ** r.z && r.y < 2 ** r.z, JSON.stringify(r));
    }
    assert.deepEqual(violations, []);
    await shot('8-map-with-basemap');
  });

  test('after removing the basemap the map draws on its plain background and asks the tile server for nothing', async () => {
    await page.goto(`${sites.portalUrl}/home/organization/settings.html`);
    const form = page.getByRole('form', { name: 'Organization settings' });
    await form.getByLabel('None — the map works offline').check();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
    assert.equal(
      (await sites.call(`${sites.portalUrl}/sharing/rest/portals/self`, {})).defaultBasemap,
      undefined,
    );

    const asked = tiles.requests.length;
    await page.goto(`${sites.portalUrl}/home/item.html?id=${itemId}`);
    const caption = page.getByTestId('map-caption');
    await caption.filter({ hasText: 'The map shows all 3,000 features.' }).waitFor();
    assert.match((await caption.textContent()) ?? '', /No basemap/);
    let pixels = { canvases: 0, drawn: 0, total: 0 };
    await eventually(
      async () => (pixels = (await page.evaluate(DRAWN_PIXELS)) as typeof pixels),
      (p) => p.drawn > 500,
      10_000,
    );
    assert.ok(
      pixels.drawn > 500 && pixels.drawn < pixels.total,
      `points on a plain background: ${JSON.stringify(pixels)}`,
    );
    const colours = (await page.evaluate(TILE_AND_FEATURE_PIXELS)) as { tile: number; feature: number };
    assert.equal(colours.tile, 0, 'no tile pixels');
    assert.equal(tiles.requests.length, asked, 'no tile asked for');
    assert.equal(await page.getByTestId('feature-map').locator('.ol-attribution li').count(), 0);
    assert.deepEqual(violations, []);
    await shot('9-map-offline-again');
  });

  test('the federated server down: the item says it could not be reached', async () => {
    const { serving } = sites.server;
    serving.child.kill('SIGTERM');
    await serving.exited;
    await page.goto(`${sites.portalUrl}/home/item.html?id=${itemId}`);
    const error = page.getByTestId('service-error');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    assert.match(
      text,
      /could not be reached at https:\/\/localhost:\d+\/arcgis\/rest\/services\/Points3k/i,
      text,
    );
    await shot('5-server-down');
  });

  test('no Content-Security-Policy violation on the way', () => {
    assert.deepEqual(violations, []);
  });
});
