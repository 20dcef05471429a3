/**
 * The web UI's Content-Security-Policy: its own origin only, plus the origins its pages are
 * told to reach (federated GIS servers for connect-src, a basemap's tiles for img-src), read on
 * every page so that a change shows without a restart; anything that is not an origin is left out.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Fastify from 'fastify';
import { registerStaticUi, type UiSources, uiContentSecurityPolicy } from './static-ui.ts';

/** The sources of one CSP directive, e.g. connect-src → ["'self'", "https://gis.example.org"]. */
function directive(csp: string, name: string): string[] {
  const d = csp
    .split(';')
    .map((p) => p.trim().split(/\s+/))
    .find((p) => p[0] === name);
  assert.ok(d, `${name} in ${csp}`);
  return d.slice(1);
}

describe('the web UI content security policy', () => {
  test('without extra origins: the own origin only', () => {
    const csp = uiContentSecurityPolicy({ connect: [], images: [] });
    assert.deepEqual(directive(csp, 'connect-src'), ["'self'"]);
    assert.deepEqual(directive(csp, 'img-src'), ["'self'", 'data:', 'blob:']);
    assert.deepEqual(directive(csp, 'script-src'), ["'self'"]);
    assert.deepEqual(directive(csp, 'frame-ancestors'), ["'none'"]);
  });

  test('the given origins are added to connect-src and img-src; what is not an origin is left out', () => {
    const csp = uiContentSecurityPolicy({
      connect: [
        'https://gis.example.org:6443',
        'https://gis.example.org:6443',
        "https://evil.example.org; script-src 'unsafe-inline'",
        'https://gis.example.org/arcgis',
        'javascript:alert(1)',
        '*',
      ],
      images: ['https://tiles.example.org', 'data:'],
    });
    assert.deepEqual(directive(csp, 'connect-src'), ["'self'", 'https://gis.example.org:6443']);
    assert.deepEqual(directive(csp, 'img-src'), ["'self'", 'data:', 'blob:', 'https://tiles.example.org']);
    assert.deepEqual(directive(csp, 'script-src'), ["'self'"]);
    assert.ok(!csp.includes('unsafe-inline'), csp);
  });

  test('pages under /home carry the origins the sources name at that moment', async () => {
    let servers: string[] = [];
    const sources: UiSources = {
      connectOrigins: async () => servers,
      imageOrigins: async () => ['https://tiles.example.org'],
    };
    const app = Fastify();
    await registerStaticUi(app, sources);
    try {
      const csp = async () => {
        const res = await app.inject({ method: 'GET', url: '/home/item.html' });
        return res.headers['content-security-policy'] as string;
      };
      assert.deepEqual(directive(await csp(), 'connect-src'), ["'self'"]);
      assert.deepEqual(directive(await csp(), 'img-src'), [
        "'self'",
        'data:',
        'blob:',
        'https://tiles.example.org',
      ]);
      servers = ['https://gis-a.example.org:6443', 'https://gis-b.example.org'];
      assert.deepEqual(directive(await csp(), 'connect-src'), [
        "'self'",
        'https://gis-a.example.org:6443',
        'https://gis-b.example.org',
      ]);
      servers = [];
      assert.deepEqual(directive(await csp(), 'connect-src'), ["'self'"]);
      // Only the UI's pages carry it.
      const api = await app.inject({ method: 'GET', url: '/sharing/rest/info' });
      assert.equal(api.headers['content-security-policy'], undefined);
    } finally {
      await app.close();
    }
  });

  test('a failing source is logged and the page keeps its own-origin policy', async () => {
    const app = Fastify();
    await registerStaticUi(app, {
      connectOrigins: async () => {
        throw new Error('database down');
      },
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/home/' });
      assert.deepEqual(directive(res.headers['content-security-policy'] as string, 'connect-src'), [
        "'self'",
      ]);
    } finally {
      await app.close();
    }
  });
});
