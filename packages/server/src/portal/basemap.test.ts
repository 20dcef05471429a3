/**
 * The organisation's basemap (portals/self/update defaultBasemap) against a real portal: good
 * values stored in ArcGIS's shape and answered by portals/self, each bad value refused with an
 * error naming what is wrong (and nothing changed), removal, and the web UI's policy letting
 * images come from exactly the basemap's origin, live. Then two nodes on one PostgreSQL
 * database: a change made on one reaches the other's answer and policy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { parseDefaultBasemap } from './basemap-input.ts';

const TEMPLATE = 'https://tiles.example.org/{level}/{col}/{row}.png';
const webTiled = (templateUrl: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    title: 'Streets',
    baseMapLayers: [{ layerType: 'WebTiledLayer', templateUrl, ...extra }],
  });

async function update(portal: TestPortal, token: string, defaultBasemap: string) {
  return portal.call('/sharing/rest/portals/self/update', { token, defaultBasemap });
}

async function self(portal: TestPortal) {
  return portal.call('/sharing/rest/portals/self', {}, { method: 'GET' });
}

/** The img-src directive of the web UI's Content-Security-Policy. */
async function imgSrc(portal: TestPortal): Promise<string> {
  const res = await portal.fetch('/home/');
  await res.body?.cancel();
  const csp = res.headers.get('content-security-policy') ?? '';
  return csp.split('; ').find((d) => d.startsWith('img-src ')) ?? `(none in ${csp})`;
}

const OWN = "img-src 'self' data: blob:";

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  let v = await read();
  while (!ok(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    v = await read();
  }
  return v;
}

describe('the organisation basemap (defaultBasemap)', () => {
  let portal: TestPortal;
  let token: string;
  before(async () => {
    portal = await startTestPortal();
    token = await portal.token();
  });
  after(() => portal.close());

  test('none by default: portals/self has no defaultBasemap and the policy names no other image origin', async () => {
    assert.equal((await self(portal)).defaultBasemap, undefined);
    assert.equal(await imgSrc(portal), OWN);
  });

  test('a WebTiledLayer is stored in ArcGIS shape, answered by portals/self, and its origin alone is added to img-src', async () => {
    const r = await update(
      portal,
      token,
      webTiled(TEMPLATE, { id: 'streets-1', copyright: '© Example contributors' }),
    );
    assert.equal(r.success, true, JSON.stringify(r));
    assert.deepEqual((await self(portal)).defaultBasemap, {
      title: 'Streets',
      baseMapLayers: [
        {
          id: 'streets-1',
          layerType: 'WebTiledLayer',
          templateUrl: TEMPLATE,
          copyright: '© Example contributors',
        },
      ],
    });
    assert.equal(await imgSrc(portal), `${OWN} https://tiles.example.org`);
  });

  test('{z}/{x}/{y} is taken and stored as {level}/{col}/{row}; the policy follows the new origin', async () => {
    const r = await update(
      portal,
      token,
      webTiled('https://osm.example.net:8443/tiles/{z}/{x}/{y}.png?style=a'),
    );
    assert.equal(r.success, true, JSON.stringify(r));
    const b = (await self(portal)).defaultBasemap;
    assert.equal(
      b.baseMapLayers[0].templateUrl,
      'https://osm.example.net:8443/tiles/{level}/{col}/{row}.png?style=a',
    );
    assert.equal(b.baseMapLayers[0].copyright, undefined);
    assert.equal(await imgSrc(portal), `${OWN} https://osm.example.net:8443`);
  });

  test('a tiled map service (ArcGISTiledMapServiceLayer) is taken, without its trailing slash', async () => {
    const r = await update(
      portal,
      token,
      JSON.stringify({
        title: 'Topo',
        baseMapLayers: [
          {
            layerType: 'ArcGISTiledMapServiceLayer',
            url: 'https://maps.example.org/arcgis/rest/services/Topo/MapServer/',
          },
        ],
      }),
    );
    assert.equal(r.success, true, JSON.stringify(r));
    assert.deepEqual((await self(portal)).defaultBasemap.baseMapLayers, [
      {
        layerType: 'ArcGISTiledMapServiceLayer',
        url: 'https://maps.example.org/arcgis/rest/services/Topo/MapServer',
      },
    ]);
    assert.equal(await imgSrc(portal), `${OWN} https://maps.example.org`);
  });

  test('two layers on two hosts: both origins, each once', async () => {
    const r = await update(
      portal,
      token,
      JSON.stringify({
        title: 'Imagery with labels',
        baseMapLayers: [
          { layerType: 'WebTiledLayer', templateUrl: 'https://a.example.org/{z}/{x}/{y}.jpg' },
          { layerType: 'WebTiledLayer', templateUrl: 'https://b.example.org/labels/{z}/{x}/{y}.png' },
          { layerType: 'WebTiledLayer', templateUrl: 'https://a.example.org/roads/{z}/{x}/{y}.png' },
        ],
      }),
    );
    assert.equal(r.success, true, JSON.stringify(r));
    assert.equal(await imgSrc(portal), `${OWN} https://a.example.org https://b.example.org`);
  });

  test('plain http on loopback is taken in development mode (this portal)', async () => {
    const r = await update(portal, token, webTiled('http://127.0.0.1:8080/{z}/{x}/{y}.png'));
    assert.equal(r.success, true, JSON.stringify(r));
    assert.equal(await imgSrc(portal), `${OWN} http://127.0.0.1:8080`);
  });

  test('a JSON body may carry the basemap as an object', async () => {
    const res = await portal.fetch('/sharing/rest/portals/self/update', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        f: 'json',
        token,
        defaultBasemap: {
          title: 'Object',
          baseMapLayers: [{ layerType: 'WebTiledLayer', templateUrl: TEMPLATE }],
        },
      }),
    });
    const r = (await res.json()) as { success?: boolean };
    assert.equal(r.success, true, JSON.stringify(r));
    assert.equal((await self(portal)).defaultBasemap.title, 'Object');
  });

  const BAD: [string, string, RegExp][] = [
    ['not JSON', '{"title":', /defaultBasemap: it is not valid JSON/],
    ['a JSON list', '[1]', /must be a JSON object/],
    [
      'an unknown field',
      JSON.stringify({ title: 'x', baseMapLayers: [], operationalLayers: [] }),
      /'operationalLayers', which the portal does not take/,
    ],
    [
      'no title',
      JSON.stringify({ baseMapLayers: [{ layerType: 'WebTiledLayer', templateUrl: TEMPLATE }] }),
      /title is missing/,
    ],
    [
      'a blank title',
      JSON.stringify({ title: '  ', baseMapLayers: [{ layerType: 'WebTiledLayer', templateUrl: TEMPLATE }] }),
      /title is empty/,
    ],
    [
      'a title too long',
      JSON.stringify({
        title: 'x'.repeat(201),
        baseMapLayers: [{ layerType: 'WebTiledLayer', templateUrl: TEMPLATE }],
      }),
      /title is 201 characters long; the limit is 200/,
    ],
    [
      'no layers',
      JSON.stringify({ title: 'x', baseMapLayers: [] }),
      /baseMapLayers must be a list of at least one layer/,
    ],
    [
      'five layers',
      JSON.stringify({
        title: 'x',
        baseMapLayers: Array(5).fill({ layerType: 'WebTiledLayer', templateUrl: TEMPLATE }),
      }),
      /has 5 layers; the limit is 4/,
    ],
    [
      'no layerType',
      JSON.stringify({ title: 'x', baseMapLayers: [{ templateUrl: TEMPLATE }] }),
      /baseMapLayers\[0\]\.layerType is missing/,
    ],
    [
      'a vector tile layer',
      webTiled(TEMPLATE).replace('WebTiledLayer', 'VectorTileLayer'),
      /layerType is "VectorTileLayer"; it must be WebTiledLayer .* or ArcGISTiledMapServiceLayer/,
    ],
    [
      'an unknown layer field',
      webTiled(TEMPLATE, { opacity: 0.5 }),
      /baseMapLayers\[0\] has 'opacity', which the portal does not take; it takes id, layerType, templateUrl, copyright/,
    ],
    [
      'no templateUrl',
      JSON.stringify({ title: 'x', baseMapLayers: [{ layerType: 'WebTiledLayer' }] }),
      /templateUrl is missing/,
    ],
    [
      'plain http on a remote host',
      webTiled('http://tiles.example.org/{z}/{x}/{y}.png'),
      /uses plain http:\/\/: tiles must come over https:\/\//,
    ],
    [
      'another scheme',
      webTiled('ftp://tiles.example.org/{z}/{x}/{y}.png'),
      /uses ftp:\/\/: give an https:\/\/ URL/,
    ],
    [
      'credentials',
      webTiled('https://me:secret@tiles.example.org/{z}/{x}/{y}.png'),
      /carries a user name or password/,
    ],
    [
      'a user name alone',
      webTiled('https://me@tiles.example.org/{z}/{x}/{y}.png'),
      /carries a user name or password/,
    ],
    ['no placeholders', webTiled('https://tiles.example.org/tile.png'), /lacks \{level\}, \{col\}, \{row\}/],
    ['no row', webTiled('https://tiles.example.org/{z}/{x}.png'), /lacks \{row\}/],
    [
      'sub-domains',
      webTiled('https://tiles.example.org/{subDomain}/{z}/{x}/{y}.png'),
      /placeholder \{subDomain\}.*sub-domains are not/,
    ],
    [
      'a placeholder in the host',
      webTiled('https://{z}.tiles.example.org/{x}/{y}.png'),
      /placeholder in its host/,
    ],
    ['an unmatched brace', webTiled('https://tiles.example.org/{z}/{x}/{y}.png{'), /unmatched \{ or \}/],
    ['a fragment', webTiled('https://tiles.example.org/{z}/{x}/{y}.png#a'), /has a fragment/],
    ['spaces', webTiled('https://tiles.example.org/my tiles/{z}/{x}/{y}.png'), /contains spaces/],
    [
      'a URL too long',
      webTiled(`https://tiles.example.org/${'a'.repeat(2048)}/{z}/{x}/{y}.png`),
      /templateUrl is \d+ characters long; the limit is 2048/,
    ],
    [
      'a copyright too long',
      webTiled(TEMPLATE, { copyright: 'c'.repeat(1001) }),
      /copyright is 1001 characters long; the limit is 1000/,
    ],
    [
      'a copyright with a line break',
      webTiled(TEMPLATE, { copyright: 'a\nb' }),
      /copyright contains control characters/,
    ],
    ['an id with spaces', webTiled(TEMPLATE, { id: 'my layer' }), /id 'my layer' may hold letters, digits/],
    [
      'a map service that is not one',
      JSON.stringify({
        title: 'x',
        baseMapLayers: [
          {
            layerType: 'ArcGISTiledMapServiceLayer',
            url: 'https://maps.example.org/arcgis/rest/services/Topo/FeatureServer',
          },
        ],
      }),
      /must end in \/MapServer/,
    ],
    [
      'a map service with a query',
      JSON.stringify({
        title: 'x',
        baseMapLayers: [
          {
            layerType: 'ArcGISTiledMapServiceLayer',
            url: 'https://maps.example.org/arcgis/rest/services/Topo/MapServer?token=abc',
          },
        ],
      }),
      /has a query/,
    ],
    [
      'a map service with a templateUrl',
      JSON.stringify({
        title: 'x',
        baseMapLayers: [{ layerType: 'ArcGISTiledMapServiceLayer', templateUrl: TEMPLATE }],
      }),
      /has 'templateUrl', which the portal does not take; it takes id, layerType, url, copyright/,
    ],
    [
      'JSON too long',
      webTiled(TEMPLATE, { copyright: 'c'.repeat(16_000) }),
      /defaultBasemap' must NOT have more than 16000 characters/,
    ],
  ];

  test('each bad value is refused with an error naming what is wrong, and the stored basemap stays', async () => {
    const before = (await self(portal)).defaultBasemap;
    assert.ok(before);
    for (const [what, value, message] of BAD) {
      const r = await update(portal, token, value);
      assert.equal(r.error?.code, 400, `${what}: ${JSON.stringify(r)}`);
      assert.match(r.error.message, message, what);
      if (!/16000/.test(String(message))) assert.equal(r.error.messageCode, 'portal.basemap_invalid', what);
    }
    assert.deepEqual((await self(portal)).defaultBasemap, before);
  });

  test('plain http on loopback is refused outside development mode', () => {
    assert.throws(
      () => parseDefaultBasemap(webTiled('http://localhost:8080/{z}/{x}/{y}.png'), { httpOnLoopback: false }),
      /uses plain http:\/\//,
    );
    assert.throws(
      () => parseDefaultBasemap(webTiled('http://[::1]:8080/{z}/{x}/{y}.png'), { httpOnLoopback: false }),
      /uses plain http:\/\//,
    );
    assert.ok(parseDefaultBasemap(webTiled('http://[::1]:8080/{z}/{x}/{y}.png'), { httpOnLoopback: true }));
  });

  test('only administrators change it', async () => {
    const r = await portal.call('/sharing/rest/portals/self/update', { defaultBasemap: webTiled(TEMPLATE) });
    assert.equal(r.error.code, 499);
  });

  test('an empty value removes it: portals/self has none and the policy loses its origin', async () => {
    assert.equal((await update(portal, token, webTiled(TEMPLATE))).success, true);
    assert.equal(await imgSrc(portal), `${OWN} https://tiles.example.org`);
    const r = await update(portal, token, '');
    assert.equal(r.success, true, JSON.stringify(r));
    assert.equal((await self(portal)).defaultBasemap, undefined);
    assert.equal(await imgSrc(portal), OWN);
    // 'null' and {} remove it too (a client echoing an empty basemap).
    for (const empty of ['null', '{}']) {
      assert.equal((await update(portal, token, webTiled(TEMPLATE))).success, true);
      assert.equal((await update(portal, token, empty)).success, true);
      assert.equal((await self(portal)).defaultBasemap, undefined, empty);
    }
  });
});

describe('the organisation basemap on two nodes of one PostgreSQL database', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  test("set on one node, it is in the other's portals/self and policy; removed there, it leaves the first", async () => {
    assert.equal(await imgSrc(b), OWN);
    // Read once on each node so both hold the settings in memory before the change.
    await self(a);
    await self(b);
    assert.equal((await update(a, await a.token(), webTiled(TEMPLATE))).success, true);
    const seen = await eventually(
      () => self(b),
      (s) => s.defaultBasemap !== undefined,
    );
    assert.equal(seen.defaultBasemap?.baseMapLayers[0].templateUrl, TEMPLATE);
    assert.equal(await imgSrc(b), `${OWN} https://tiles.example.org`);
    assert.equal((await update(b, await b.token(), '')).success, true);
    assert.equal(
      await eventually(
        () => imgSrc(a),
        (v) => v === OWN,
      ),
      OWN,
    );
    assert.equal((await self(a)).defaultBasemap, undefined);
  });
});
