/**
 * @esri/arcgis-rest-js's browser build (its UMD bundles, unmodified) in Debian's Chromium,
 * uploading files as browser apps do: a native FormData whose token field comes after the file.
 * (In Node the client's FormData ponyfill is not one Node's fetch can send, so file uploads
 * are tested here, where the client really runs them.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_PASSWORD, startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';

const require = createRequire(import.meta.url);
const bundle = (pkg: string, file: string) =>
  readFileSync(join(require.resolve(`${pkg}/package.json`), '..', 'dist', 'bundled', file), 'utf8');

const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('@esri/arcgis-rest-js in Chromium: file uploads', () => {
  let portal: TestPortal;
  let chromium: { browser: Browser; close(): Promise<void> };
  let page: Page;

  before(async () => {
    portal = await startTestPortal();
    chromium = await launchTrustingChromium(portal.caCertPem);
    // The portal's pages allow only their own scripts; the client bundles are injected as a
    // browser app would load them from its own origin.
    const context = await chromium.browser.newContext({ bypassCSP: true });
    page = await context.newPage();
    await page.goto(`${portal.url}/home/`);
    await page.addScriptTag({ content: bundle('@esri/arcgis-rest-request', 'request.umd.js') });
    await page.addScriptTag({ content: bundle('@esri/arcgis-rest-portal', 'portal.umd.js') });
  });
  after(async () => {
    await chromium?.close();
    await portal?.close();
  });

  test('createItem with a file, getItemData, updateItem with a thumbnail, then with the whole item', async () => {
    const result = await page.evaluate(
      async ({ rest, password, png }) => {
        // biome-ignore lint/suspicious/noExplicitAny: the UMD bundles' global.
        const A = (globalThis as any).arcgisRest;
        const authentication = await A.ArcGISIdentityManager.signIn({
          username: 'admin',
          password,
          portal: rest,
        });
        const geojson = JSON.stringify({
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { name: 'Weir' },
              geometry: { type: 'Point', coordinates: [1, 51] },
            },
          ],
        });
        const created = await A.createItem({
          item: { title: 'Weirs', type: 'GeoJSON', tags: ['weirs'] },
          file: new File([geojson], 'weirs.geojson', { type: 'application/geo+json' }),
          authentication,
        });
        const item = await A.getItem(created.id, { authentication });
        const data = await A.getItemData(created.id, { authentication });
        const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
        const updated = await A.updateItem({
          item: { id: created.id, snippet: 'River weirs' },
          params: { thumbnail: new File([bytes], 'weirs.png', { type: 'image/png' }) },
          authentication,
        });
        const withThumb = await A.getItem(created.id, { authentication });
        // Clients send the whole item back (its thumbnail path included) to change one field.
        const again = await A.updateItem({
          item: { ...withThumb, title: 'Weirs and sluices' },
          authentication,
        });
        const last = await A.getItem(created.id, { authentication });
        let refused = '';
        try {
          await A.createItem({
            item: { title: 'Not GeoJSON', type: 'GeoJSON' },
            file: new File([bytes], 'picture.png', { type: 'image/png' }),
            authentication,
          });
        } catch (err) {
          refused = String((err as Error).message);
        }
        return { created, item, data, geojson, updated, withThumb, again, last, refused };
      },
      { rest: `${portal.url}/sharing/rest`, password: ADMIN_PASSWORD, png: PNG_BASE64 },
    );
    assert.equal(result.created.success, true, JSON.stringify(result.created));
    assert.equal(result.item.name, 'weirs.geojson');
    assert.equal(result.item.size, Buffer.byteLength(result.geojson));
    assert.deepEqual(result.data, JSON.parse(result.geojson));
    assert.equal(result.updated.success, true);
    assert.equal(result.withThumb.thumbnail, 'thumbnail/weirs.png');
    assert.equal(result.again.success, true);
    assert.equal(result.last.title, 'Weirs and sluices');
    assert.equal(result.last.thumbnail, 'thumbnail/weirs.png');
    assert.match(result.refused, /declared as "GeoJSON" but its data/);
    const thumb = await portal.fetch(
      `/sharing/rest/content/items/${result.created.id}/info/thumbnail/weirs.png?token=${await portal.token()}`,
    );
    assert.deepEqual(Buffer.from(await thumb.arrayBuffer()), Buffer.from(PNG_BASE64, 'base64'));
  });
});
