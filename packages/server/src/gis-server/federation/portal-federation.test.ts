/**
 * With the real portal: a Meridian portal federates this GIS server through its portaladmin API
 * (confirming the server's CA fingerprint), the server's security/config and rest/info name the
 * portal, the portal's generateToken with serverUrl gives a token the server verifies locally,
 * a service registered by the server becomes a private portal item whose sharing the server
 * then asks about, and unfederating on the portal makes the server standalone again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { loadGisServerConfig, openGisServerNode } from '../../roles/gis-server.ts';
import { gisServerModule } from '../module.ts';
import { startTestServer, type TestServer } from './test-federation.ts';

describe('federation with a real Meridian portal', () => {
  let portal: TestPortal;
  let s: TestServer;
  let portalToken: string;
  let serverRecordId: string;
  /** The portal lists the server's services when it federates: without admin/services it cannot. */
  let missing: string | undefined;
  const needsServices = (t: { skip(reason: string): void }) => {
    if (missing) t.skip(missing);
    return Boolean(missing);
  };
  const fed = () => s.server.modules['gis-server'].federation;

  before(async () => {
    [portal, s] = await Promise.all([startTestPortal(), startTestServer()]);
    portalToken = await portal.token();
    const services = await s.call('/arcgis/admin/services', { token: s.adminToken });
    if (/Invalid URL/.test(JSON.stringify(services)))
      missing = 'this server has no admin/services yet (the services module), which federate lists';
  });
  after(async () => {
    await s?.close();
    await portal?.close();
  });

  test('the portal federates the server after its CA fingerprint is confirmed', async (ctx) => {
    if (needsServices(ctx)) return;
    const password = readFileSync(join(s.home, 'initial-admin-password'), 'utf8').trim();
    const form = { url: s.root, username: 'admin', password, token: portalToken };
    const first = await portal.call('/portaladmin/federation/servers/federate', form);
    assert.equal(first.errorCode, 'servers.untrusted_certificate', JSON.stringify(first));
    const answer = await portal.call('/portaladmin/federation/servers/federate', {
      ...form,
      trustPresentedCertificate: first.fingerprintToConfirm,
    });
    assert.ok(answer.serverId ?? answer.id ?? answer.server, JSON.stringify(answer));
    const status = fed().status();
    assert.equal(status.federated, true);
    assert.equal(status.portalUrl, portal.url);
    serverRecordId = status.serverId!;
    const info = await s.call('/arcgis/rest/info');
    assert.equal(info.owningSystemUrl, portal.url);
    assert.equal(info.authInfo.tokenServicesUrl, `${portal.url}/sharing/rest/generateToken`);
    const config = await s.call('/arcgis/admin/security/config', { token: s.adminToken });
    assert.equal(config.authenticationTier, 'ARCGIS_PORTAL');
  });

  test("the portal's server token is verified by the server alone; its admin administers the server", async (ctx) => {
    if (needsServices(ctx)) return;
    const t = await portal.call('/sharing/rest/generateToken', {
      token: portalToken,
      serverUrl: `${s.root.replace(/\/\/([^:/]+)/, (_m, h: string) => `//${h.toUpperCase()}`)}/rest/services`,
      expiration: 60,
    });
    assert.ok(t.token?.startsWith(`v1.fs${serverRecordId}.`), JSON.stringify(t));
    const root = await s.call('/arcgis/admin', { token: t.token });
    assert.ok(root.resources, JSON.stringify(root));
    const config = await s.call('/arcgis/admin/security/config', { token: t.token });
    assert.equal(config.portalProperties.portalUrl, portal.url);
    // A portal token (not a server token) means nothing to the server.
    assert.equal((await s.call('/arcgis/admin', { token: portalToken })).code, 498);
  });

  test('a service registered by the server is a private portal item; access follows its sharing', async (ctx) => {
    if (needsServices(ctx)) return;
    const stored: string[] = [];
    ctx.after(
      fed().usePortalItems({
        async setPortalItem(_service, itemId) {
          stored.push(itemId);
        },
      }),
    );
    const url = `${s.root}/rest/services/Trails/FeatureServer`;
    await fed().hooks.afterCreate({
      folder: '',
      name: 'Trails',
      type: 'FeatureServer',
      title: 'Trails',
    });
    assert.deepEqual(await fed().pending(), [], 'delivered at once');
    assert.equal(stored.length, 1);
    const itemId = stored[0]!;
    const item = await portal.call(`/sharing/rest/content/items/${itemId}`, { token: portalToken });
    assert.equal(item.type, 'Feature Service');
    assert.equal(item.url, url);
    assert.equal(item.access, 'private');

    const policy = fed().serviceAccess();
    const auth = fed().authenticator(
      async () => undefined,
      () => [],
    );
    const request = async (token?: string) => {
      const req = { args: token ? { token } : {}, headers: {}, ip: '127.0.0.1' } as unknown as FastifyRequest;
      req.caller = await auth(req);
      return req;
    };
    await assert.rejects(policy.check(await request(), { portalItemId: itemId }), { arcgisCode: 499 });
    const shared = await portal.call(`/sharing/rest/content/users/admin/items/${itemId}/share`, {
      token: portalToken,
      everyone: true,
    });
    assert.ok(!shared.error, JSON.stringify(shared));
    // A new policy: the first one's answer is cached for up to 15 s.
    await fed()
      .serviceAccess()
      .check(await request(), { portalItemId: itemId });

    await fed().hooks.afterDelete({ folder: '', name: 'Trails', type: 'FeatureServer' });
    const gone = await portal.call(`/sharing/rest/content/items/${itemId}`, { token: portalToken });
    assert.ok(gone.error, `the item is deleted with the service: ${itemId} ${JSON.stringify(gone)}`);
  });

  test('meridian server publish from a process whose settings give another URL: the running server registers it under its own URL; an owner who is no portal user gives the item to the federating administrator', async (ctx) => {
    if (needsServices(ctx)) return;
    // The running server was given its port as a setting the command does not see (as
    // --https-port is): the command's node makes https://<host>:6443 URLs.
    const cli = await openGisServerNode(loadGisServerConfig({ env: {}, overrides: { home: s.home } }), {
      logger: false,
    });
    const dir = mkdtempSync(join(tmpdir(), 'meridian-fed-publish-'));
    try {
      assert.notEqual(cli.kernel.baseUrl(), s.server.url);
      writeFileSync(
        join(dir, 'wells.geojson'),
        JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { depth: 12 }, geometry: { type: 'Point', coordinates: [5, 52] } },
          ],
        }),
      );
      const publish = gisServerModule.commands!.find((c) => c.name === 'publish')!;
      let out = '';
      let err = '';
      const stdout = new PassThrough().on('data', (c: Buffer) => {
        out += c.toString();
      });
      const stderr = new PassThrough().on('data', (c: Buffer) => {
        err += c.toString();
      });
      const code = await publish.run({
        args: ['wells.geojson'],
        options: { name: 'Wells', folder: 'Water', owner: 'gisonly' },
        cwd: dir,
        stdout,
        stderr,
        stdin: new PassThrough(),
        commandLine: (w) => `meridian server ${w.join(' ')}`,
        open: async () => ({ kernel: cli.kernel, api: cli.modules['gis-server'] }),
      });
      assert.equal(code, 0, `${out}${err}`);
      const itemId = new RegExp(
        `Registered at the portal ${portal.url.replaceAll('.', '\\.')}: item (\\w+)`,
      ).exec(out)?.[1];
      assert.ok(itemId, out);
      const item = await portal.call(`/sharing/rest/content/items/${itemId}`, { token: portalToken });
      assert.equal(item.url, `${s.root}/rest/services/Water/Wells/FeatureServer`);
      assert.equal(item.owner, 'admin', 'the federating administrator');
      assert.deepEqual(await fed().pending(), []);
      const stored = await s.server.modules['gis-server'].services.list();
      assert.equal(stored.find((r) => r.name === 'Wells')?.portalItemId, itemId);
    } finally {
      await cli.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('unfederating on the portal makes the server standalone again', async (ctx) => {
    if (needsServices(ctx)) return;
    const r = await portal.call(`/portaladmin/federation/servers/${serverRecordId}/unfederate`, {
      token: portalToken,
    });
    assert.ok(!r.error && r.status !== 'error', JSON.stringify(r));
    assert.equal(fed().status().federated, false);
    assert.equal((await s.call('/arcgis/rest/info')).owningSystemUrl, undefined);
  });
});
