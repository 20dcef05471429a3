/**
 * Route contracts: every route of each role declares its answer and how its errors are
 * rendered; an answer its schema does not allow never leaves; errors come in the route's
 * declared style (not by URL), unknown URLs in their API's style.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { Agent, fetch } from 'undici';
import { BadRequest } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { generateCertificate } from '../pki/generate-certificate.ts';
import { createRootCa } from '../pki/local-ca.ts';
import { leafOptions } from '../pki/test-helpers.ts';
import { loadGisServerConfig, startGisServer } from '../roles/gis-server.ts';
import { loadPortalConfig, openPortalNode, type PortalNode } from '../roles/portal.ts';
import { buildApp } from './app.ts';
import { route } from './route.ts';
import { Nullable, StatusSuccess } from './schemas.ts';

const STYLES = ['arcgis', 'portaladmin', 'html'];

/** What a route must declare; the problems found, one line each. */
/** Whether a route's success answer is an HTML page. */
function answersPage(schema: { response?: Record<string, unknown> }): boolean {
  const ok = schema.response?.['200'] as { content?: Record<string, unknown> } | undefined;
  return Object.keys(ok?.content ?? {}).includes('text/html');
}

function contractProblems(routes: RouteOptions[]): string[] {
  const problems: string[] = [];
  for (const r of routes) {
    const schema = (r.schema ?? {}) as { hide?: boolean; response?: Record<string, unknown> };
    // Files of the built web UI (@fastify/static): not part of the API, and never documented.
    if (schema.hide) continue;
    const name = `${[r.method].flat().join('|')} ${r.url}`;
    const errors = (r.config as { errors?: string } | undefined)?.errors;
    if (!schema.response || !Object.keys(schema.response).length)
      problems.push(`${name}: no response schema`);
    if (!errors || !STYLES.includes(errors)) problems.push(`${name}: no error renderer (${errors})`);
    else if (/^\/(portaladmin|arcgis\/admin)(\/|$)/.test(r.url) && errors !== 'portaladmin')
      problems.push(`${name}: an administrator API route renders ${errors} errors`);
    // The Sharing API's browser pages (OAuth sign-in) answer a page, and their errors are pages.
    else if (/^\/sharing\//.test(r.url) && errors !== 'arcgis' && !(errors === 'html' && answersPage(schema)))
      problems.push(`${name}: a Sharing API route renders ${errors} errors`);
  }
  return problems;
}

describe('route contracts', () => {
  let home: string;
  let node: PortalNode;
  let app: FastifyInstance;
  let dispatcher: Agent;
  let base: string;
  const routes: RouteOptions[] = [];

  /** Test routes: each answers what the query asks, right or wrong for its schema. */
  const register = (a: FastifyInstance) => {
    const Answer = Type.Object({ id: Type.String(), count: Type.Integer(), note: Nullable(Type.String()) });
    route(a, {
      method: ['GET', 'POST'],
      url: '/sharing/rest/test/answer',
      summary: 'Answers a shape chosen by the test.',
      auth: 'public',
      params: Type.Object({ shape: Type.String() }),
      response: Answer,
      handler: (_req, { shape }) =>
        ({
          right: { id: 'a', count: 2, note: null },
          extra: { id: 'a', count: 2, note: 'n', secret: 'must not leave' },
          wrongType: { id: 'a', count: 'two', note: null },
          missing: { id: 'a', note: null },
          nested: { id: 'a', count: 2, note: { text: 'n' } },
        })[shape],
    });
    for (const errors of ['arcgis', 'portaladmin', 'html'] as const)
      route(a, {
        method: 'GET',
        url: `/sharing/rest/test/fails-${errors}`,
        summary: 'Fails with a bad request.',
        auth: 'public',
        errors,
        response: StatusSuccess({}),
        handler: () => {
          throw new MeridianError(BadRequest, 'The <thing> is "wrong".', { details: ['Fix & retry.'] });
        },
      });
  };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'meridian-contracts-'));
    node = await openPortalNode(loadPortalConfig({ env: {}, overrides: { home, 'log.level': 'silent' } }), {
      logger: false,
    });
    const ca = await createRootCa('Route Contracts Test CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    app = await buildApp(node.kernel, {
      authenticate: node.modules.tokens.authenticate,
      presentsCredential: node.modules.tokens.presentsCredential,
      routes: [(a) => void a.addHook('onRoute', (r) => void routes.push(r)), ...node.routes, register],
      serverFactory: (handler) => createServer({ key: leaf.keyPem, cert: leaf.certPem }, handler),
      ui: true,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `https://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    dispatcher = new Agent({ connect: { ca: ca.certPem } });
  });
  after(async () => {
    await dispatcher?.close();
    await app?.close();
    await node?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const get = (path: string) => fetch(`${base}${path}`, { dispatcher });
  // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes.
  const json = async (path: string): Promise<any> => (await get(path)).json();

  test('every route of the portal declares its response schema and its error renderer', () => {
    const portalRoutes = routes.filter((r) => !r.url.startsWith('/sharing/rest/test/'));
    assert.ok(portalRoutes.length > 60, `the portal's routes were seen (${portalRoutes.length})`);
    assert.deepEqual(contractProblems(portalRoutes), []);
    // The check itself finds a route without them.
    assert.deepEqual(contractProblems([{ method: 'GET', url: '/portaladmin/x', handler: () => {} }]), [
      'GET /portaladmin/x: no response schema',
      'GET /portaladmin/x: no error renderer (undefined)',
    ]);
  });

  test('every route of the GIS server declares its response schema and its error renderer', async () => {
    const gisHome = mkdtempSync(join(tmpdir(), 'meridian-contracts-gis-'));
    const seen: RouteOptions[] = [];
    const server = await startGisServer(
      loadGisServerConfig({
        env: {},
        overrides: {
          home: gisHome,
          'https.port': 0,
          'http.port': 0,
          bind: '127.0.0.1',
          'log.level': 'silent',
        },
      }),
      { logger: false },
    );
    try {
      // The API document lists every documented route with what route() declared.
      const doc = server.app.swagger() as unknown as {
        paths: Record<string, Record<string, Record<string, unknown>>>;
      };
      for (const [url, ops] of Object.entries(doc.paths))
        for (const [method, op] of Object.entries(ops))
          seen.push({
            method: method.toUpperCase() as 'GET',
            url: url.replace(/\{(\w+)\}/g, ':$1'),
            handler: () => {},
            schema: { response: op.responses as Record<string, unknown> },
            config: { errors: op['x-meridian-errors'] } as RouteOptions['config'],
          });
      assert.ok(seen.some((r) => r.url === '/arcgis/rest/info'));
      assert.deepEqual(contractProblems(seen), []);
    } finally {
      await server.close();
      rmSync(gisHome, { recursive: true, force: true });
    }
  });

  test('an answer its schema allows is sent as the handler built it; f=pjson pretty-prints it', async () => {
    const res = await get('/sharing/rest/test/answer?f=json&shape=right');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(await res.text(), '{"id":"a","count":2,"note":null}');
    const pretty = await (await get('/sharing/rest/test/answer?f=pjson&shape=right')).text();
    assert.equal(pretty, JSON.stringify({ id: 'a', count: 2, note: null }, null, 2));
  });

  test('an answer with a field, a type or a required field its schema does not declare is caught, not sent', async () => {
    for (const shape of ['extra', 'wrongType', 'missing', 'nested']) {
      const text = await (await get(`/sharing/rest/test/answer?f=json&shape=${shape}`)).text();
      const answer = JSON.parse(text);
      assert.equal(answer.error?.code, 500, `${shape}: ${text}`);
      assert.equal(answer.error.messageCode, 'server.response_invalid', shape);
      assert.ok(!text.includes('must not leave'), shape);
    }
    // f=pjson checks before it formats.
    const pretty = await json('/sharing/rest/test/answer?f=pjson&shape=extra');
    assert.equal(pretty.error.messageCode, 'server.response_invalid');
  });

  test("errors come in the style the route declares, whatever its URL's prefix", async () => {
    const arcgis = await get('/sharing/rest/test/fails-arcgis?f=json');
    assert.equal(arcgis.status, 200);
    assert.deepEqual(await arcgis.json(), {
      error: {
        code: 400,
        messageCode: 'request.invalid',
        message: 'The <thing> is "wrong".',
        details: ['Fix & retry.'],
      },
    });
    const admin = await get('/sharing/rest/test/fails-portaladmin?f=json');
    assert.equal(admin.status, 200);
    assert.deepEqual(await admin.json(), {
      status: 'error',
      messages: ['The <thing> is "wrong".', 'Fix & retry.'],
      code: 400,
      errorCode: 'request.invalid',
    });
    const page = await get('/sharing/rest/test/fails-html?f=json');
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.equal(page.headers.get('content-security-policy'), "default-src 'none'");
    const html = await page.text();
    assert.match(html, /<h1>The &#60;thing&#62; is &#34;wrong&#34;\.<\/h1>/);
    assert.match(html, /<p>Fix &#38; retry\.<\/p>/);
    assert.match(html, /<code>request\.invalid<\/code>/);
  });

  test('unknown URLs answer in the style of the API their path is under', async () => {
    const sharing = await json('/sharing/rest/nothing-here?f=json');
    assert.equal(sharing.error.code, 400);
    assert.match(sharing.error.message, /Invalid URL/);
    const admin = await json('/portaladmin/nothing-here?f=json');
    assert.deepEqual([admin.status, admin.code, admin.errorCode], ['error', 400, 'request.invalid']);
    const elsewhere = await get('/nothing-here');
    assert.equal(elsewhere.status, 400);
    assert.deepEqual(Object.keys(((await elsewhere.json()) as { error: object }).error), ['code', 'message']);
  });

  test('a route that declares its parameters refuses others and types what it reads', async () => {
    const missing = await json('/sharing/rest/test/answer?f=json');
    assert.match(missing.error.message, /Missing required parameter 'shape'/);
    const unknown = await json('/sharing/rest/test/answer?f=json&shape=right&other=1');
    assert.match(unknown.error.message, /Unknown parameter 'other'/);
  });
});
