/**
 * The GIS server's side of federation, end to end over loopback HTTPS: a portal-like listener
 * with its own CA federates the server through security/config/update, its server tokens are
 * verified locally (and refused when anything is off), rest/info names it, the services' access
 * policy asks it about item sharing, and service registration survives the portal being down.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { eventually } from '../../pki/routes/test-support.ts';
import { federationCommand } from './commands.ts';
import { readFederation } from './federation-store.ts';
import { createPortalClient } from './portal-client.ts';
import { type FakePortal, startFakePortal, startTestServer, type TestServer } from './test-federation.ts';

describe('a GIS server federated with a portal', () => {
  let s: TestServer;
  let portal: FakePortal;
  const fed = () => s.server.modules['gis-server'].federation;
  const admin = (path: string, params: Record<string, string> = {}) =>
    s.call(path, { token: s.adminToken, ...params });
  const federate = (properties = portal.properties()) =>
    admin('/arcgis/admin/security/config/update', {
      authenticationTier: 'ARCGIS_PORTAL',
      portalProperties: properties,
    });

  const runFederationCommand = async (options: Record<string, boolean> = {}) => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => {
      text += c.toString();
    });
    await federationCommand.run({
      args: [],
      options,
      cwd: '.',
      stdout: out,
      stderr: out,
      stdin: new PassThrough(),
      commandLine: (w) => w.join(' '),
      open: async () => ({ kernel: s.server.kernel, api: s.server.modules['gis-server'] }),
    });
    return text;
  };

  before(async () => {
    [s, portal] = await Promise.all([startTestServer(), startFakePortal()]);
  });
  after(async () => {
    await s?.close();
    await portal?.close();
  });

  test('standalone at first: security/config says GIS_SERVER, rest/info names its own token service', async () => {
    const config = await admin('/arcgis/admin/security/config');
    assert.deepEqual(config, {
      authenticationTier: 'GIS_SERVER',
      sslEnabled: true,
      httpEnabled: false,
      portalProperties: {},
      federated: false,
    });
    const info = await s.call('/arcgis/rest/info');
    assert.equal(info.owningSystemUrl, undefined);
    assert.equal(info.authInfo.tokenServicesUrl, `${s.root}/tokens/generateToken`);
    assert.equal((await s.call('/arcgis/admin/security/config')).code, 499, 'administrators only');
  });

  test('bad portalProperties are refused with what is wrong, and nothing is stored', async () => {
    const bad = await federate(portal.properties({ portalSecretKey: 'short' }));
    assert.equal(bad.status, 'error');
    assert.equal(bad.errorCode, 'gis.portal_properties_invalid');
    assert.match(bad.messages[0], /portalSecretKey/);
    const http = await federate(portal.properties({ portalUrl: 'http://127.0.0.1:1' }));
    assert.match(http.messages[0], /https/);
    const missing = await admin('/arcgis/admin/security/config/update', {
      authenticationTier: 'ARCGIS_PORTAL',
    });
    assert.equal(missing.errorCode, 'gis.portal_properties_invalid');
    assert.equal(fed().status().federated, false);
  });

  test('federating: stored with the secret sealed, the portal CA trusted, rest/info names the portal', async () => {
    const answer = await federate();
    assert.deepEqual(answer, { status: 'success', serverId: s.server.modules['gis-server'].serverId });
    const config = await admin('/arcgis/admin/security/config');
    assert.deepEqual(config, {
      authenticationTier: 'ARCGIS_PORTAL',
      sslEnabled: true,
      httpEnabled: false,
      portalProperties: {
        portalUrl: portal.url,
        portalId: portal.portalId,
        serverId: portal.serverId,
        portalMode: 'ARCGIS_PORTAL_FEDERATION',
      },
      federated: true,
    });
    assert.doesNotMatch(JSON.stringify(config), new RegExp(portal.secret.toString('base64url')));
    const row = await s.server.kernel.db.kysely
      .selectFrom('gis_server_settings')
      .select('value')
      .where('key', '=', 'federation')
      .executeTakeFirstOrThrow();
    assert.doesNotMatch(row.value, new RegExp(portal.secret.toString('base64url')), 'the secret is sealed');
    const trusted = await s.server.modules.pki.trust.list();
    assert.ok(
      trusted.some(
        (t) => t.alias.startsWith('federated-portal-127.0.0.1') && /Fake Portal Root CA/.test(t.subject),
      ),
      JSON.stringify(trusted.map((t) => t.alias)),
    );
    const info = await s.call('/arcgis/rest/info');
    assert.equal(info.owningSystemUrl, portal.url);
    assert.equal(info.authInfo.tokenServicesUrl, `${portal.url}/sharing/rest/generateToken`);
  });

  test('federating again with the same portal updates it; another portal is refused', async () => {
    assert.equal((await federate()).status, 'success');
    const other = await federate(portal.properties({ portalId: 'anotherportal' }));
    assert.equal(other.errorCode, 'gis.already_federated');
    assert.match(other.messages[0], new RegExp(portal.url.replaceAll('.', '\\.')));
    assert.equal(fed().status().portalId, portal.portalId);
  });

  test("the portal's server tokens are verified here: the role decides, anything off is 498", async () => {
    const aud = s.root.replace(/\/\/([^/]+)/, (_m, host: string) => `//${host.toLowerCase()}`);
    const adminToken = portal.token({ aud, role: 'admin', sub: 'portaladmin' });
    const root = await s.call('/arcgis/admin', { token: adminToken });
    assert.deepEqual(root.resources?.includes('security'), true, JSON.stringify(root));
    const userToken = portal.token({ aud, role: 'user' });
    const refused = await s.call('/arcgis/admin', { token: userToken });
    assert.equal(refused.code, 403, 'a portal user is no server administrator');
    const anyAud = portal.token({
      aud: `${s.server.url.toUpperCase().replace('HTTPS', 'https')}/arcgis/`,
      role: 'admin',
    });
    assert.ok(
      (await s.call('/arcgis/admin', { token: anyAud })).resources,
      'host compared case-insensitively',
    );

    const expect498 = async (token: string, why: string) => {
      const r = await s.call('/arcgis/admin', { token });
      assert.equal(r.code, 498, `${why}: ${JSON.stringify(r)}`);
    };
    await expect498(portal.token({ aud, role: 'admin', exp: Date.now() - 1000 }), 'expired');
    await expect498(portal.token({ aud: 'https://other.example:6443/arcgis', role: 'admin' }), 'another aud');
    await expect498(portal.token({ aud, role: 'admin' }, Buffer.alloc(32, 7)), 'another key');
    await expect498(portal.token({ aud, role: 'admin' }, undefined, 'fsanotherserver'), 'another kid');
    await expect498(portal.token({ aud, role: 'admin', orgId: 'someoneelse' }), 'another portal');
    const [v, kid, body, sig] = userToken.split('.');
    const lifted = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), role: 'admin' }),
    ).toString('base64url');
    await expect498(`${v}.${kid}.${lifted}.${sig}`, 'tampered payload');
    // The server's own administrator keeps working.
    assert.ok((await admin('/arcgis/admin')).resources);
  });

  test('access by item sharing: asked of the portal, cached ≤ 15 s, admins pass, a portal away is an error', async () => {
    const aud = s.root;
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
    portal.items.set('pub', { owner: 'bob', public: true, readers: [] });
    portal.items.set('priv', { owner: 'bob', public: false, readers: ['alice'] });
    const before = portal.calls.length;
    await policy.check(await request(), { portalItemId: 'pub' });
    await assert.rejects(policy.check(await request(), { portalItemId: 'priv' }), { arcgisCode: 499 });
    await policy.check(await request(portal.token({ aud, sub: 'alice' })), { portalItemId: 'priv' });
    await assert.rejects(
      policy.check(await request(portal.token({ aud, sub: 'carol' })), { portalItemId: 'priv' }),
      {
        arcgisCode: 403,
      },
    );
    const asked = portal.calls.slice(before);
    assert.equal(asked.length, 4);
    assert.ok(asked.every((c) => c.op === 'access' && c.credentialOk));
    assert.deepEqual(
      asked.map((c) => [c.form.itemIds, c.form.username]),
      [
        ['pub', ''],
        ['priv', ''],
        ['priv', 'alice'],
        ['priv', 'carol'],
      ],
    );
    // Cached: the same question within 15 s is not asked again; an admin is never asked about.
    await policy.check(await request(portal.token({ aud, sub: 'alice' })), { portalItemId: 'priv' });
    await policy.check(await request(portal.token({ aud, role: 'admin', sub: 'boss' })), {
      portalItemId: 'priv',
    });
    assert.equal(portal.calls.length, before + 4);
    // Without an item (or unfederated), the standalone policy decides.
    await policy.check(await request(), { portalItemId: null });

    portal.failWith = 503;
    await assert.rejects(
      policy.check(await request(portal.token({ aud, sub: 'dave' })), { portalItemId: 'priv' }),
      (err: Error & { code?: string; arcgisCode?: number }) => {
        assert.equal(err.code, 'gis.portal_unreachable');
        assert.equal(err.arcgisCode, 503);
        assert.match(err.message, /unavailable \(HTTP 503\)/);
        return true;
      },
    );
    portal.failWith = undefined;
    // A portal that does not answer at all: the cause is named, never a silent allow.
    const gone = await startFakePortal();
    await gone.close();
    const client = createPortalClient({
      outbound: () => s.server.modules.pki.outbound.client(),
      now: Date.now,
    });
    const f = await readFederation(s.server.kernel);
    await assert.rejects(
      client.access({ ...f!, portalUrl: gone.url }, ['pub'], ''),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'gis.portal_unreachable');
        assert.match(
          err.message,
          new RegExp(`The portal ${gone.url.replaceAll('.', '\\.')} could not be reached: .*refused`, 'i'),
        );
        return true;
      },
    );
  });

  test('a created service is registered at the portal (item id stored); a portal that is down keeps it in the outbox', async () => {
    const stored: [string, string][] = [];
    fed().usePortalItems({
      async setPortalItem(service, itemId) {
        stored.push([service.name, itemId]);
      },
    });
    // The URL is made by the delivering node: this running server's own.
    const url = `${s.root}/rest/services/Parks/FeatureServer`;
    await fed().hooks.afterCreate({
      folder: '',
      name: 'Parks',
      type: 'FeatureServer',
      title: 'Parks',
      owner: 'alice',
    });
    const register = portal.calls.at(-1)!;
    assert.equal(register.op, 'registerService');
    assert.ok(register.credentialOk);
    assert.deepEqual(register.form, {
      folder: '',
      name: 'Parks',
      type: 'FeatureServer',
      title: 'Parks',
      owner: 'alice',
      url,
      f: 'json',
    });
    const itemId = [...portal.items].find(([, it]) => it.url === url)![0];
    assert.deepEqual(stored, [['Parks', itemId]]);
    assert.deepEqual(await fed().pending(), []);

    portal.failWith = 503;
    const lakes = `${s.root}/rest/services/Lakes/FeatureServer`;
    await fed().hooks.afterCreate({ folder: '', name: 'Lakes', type: 'FeatureServer' });
    await fed().hooks.afterDelete({ folder: '', name: 'Parks', type: 'FeatureServer' });
    const pending = await fed().pending();
    assert.deepEqual(
      pending.map((e) => [e.action, e.service.name, e.state, e.attempts]),
      [
        ['register', 'Lakes', 'pending', 1],
        ['unregister', 'Parks', 'pending', 1],
      ],
    );
    assert.match(pending[0]!.lastError!, /unavailable \(HTTP 503\)/);
    assert.ok(pending[0]!.nextAttempt > Date.now(), 'retried after a backoff');

    const text = await runFederationCommand();
    assert.match(
      text,
      new RegExp(
        `Federated with the portal ${portal.url.replaceAll('.', '\\.')} \\(id ${portal.portalId}\\) since`,
      ),
    );
    assert.match(text, /Pending portal calls: 2/);
    assert.match(text, /register Lakes \(FeatureServer\): pending, 1 attempt\(s\).*HTTP 503/);

    portal.failWith = undefined;
    // Due now (as the loop would find them after the backoff).
    await s.server.kernel.db.kysely.updateTable('gis_federation_outbox').set({ next_attempt: 0 }).execute();
    await fed().deliverDue();
    assert.deepEqual(await fed().pending(), []);
    assert.ok(![...portal.items.values()].some((it) => it.url === url), 'Parks unregistered');
    assert.ok(
      [...portal.items.values()].some((it) => it.url === lakes),
      'Lakes registered',
    );
    assert.equal(stored.at(-1)![0], 'Lakes');
  });

  test('a call the portal refuses (4xx) is kept as failed with its fix, not retried; --retry sends it again', async () => {
    fed().usePortalItems({ async setPortalItem() {} });
    portal.refuse =
      "'url' is not a service of https://elsewhere:6443/arcgis: a server registers its own services only.";
    await fed().hooks.afterCreate({ folder: 'Hydro', name: 'Wells', type: 'FeatureServer' });
    const [entry] = await fed().pending();
    assert.equal(entry?.state, 'failed');
    assert.equal(entry?.errorCode, 'gis.portal_refused');
    assert.match(entry!.lastError!, /refused registerService: 'url' is not a service of/);

    // The loop does not send it again, however late it is.
    await s.server.kernel.db.kysely.updateTable('gis_federation_outbox').set({ next_attempt: 0 }).execute();
    const calls = portal.calls.length;
    await fed().deliverDue();
    assert.equal(portal.calls.length, calls, 'not retried');

    const text = await runFederationCommand();
    assert.match(text, /Pending portal calls: none/);
    assert.match(text, /Failed portal calls \(refused by the portal, not retried\): 1/);
    assert.match(
      text,
      /register Hydro\/Wells \(FeatureServer\): FAILED after 1 attempt\(s\), not retried: .*is not a service of/,
    );
    assert.match(text, /Fix: .*--retry/);

    // A portal that fails (HTTP 500) is not a refusal: retried.
    portal.refuse = undefined;
    portal.failWith = 500;
    assert.match(await runFederationCommand({ retry: true }), /1 failed portal call\(s\) will be sent again/);
    const [again] = await eventually(
      5_000,
      () => fed().pending(),
      (p) => p[0]?.attempts === 2,
    );
    assert.equal(again?.state, 'pending');
    assert.equal(again?.errorCode, 'gis.portal_failed');

    portal.failWith = undefined;
    await s.server.kernel.db.kysely.updateTable('gis_federation_outbox').set({ next_attempt: 0 }).execute();
    await fed().deliverDue();
    assert.deepEqual(await fed().pending(), []);
    assert.ok(
      [...portal.items.values()].some((it) => it.url === `${s.root}/rest/services/Hydro/Wells/FeatureServer`),
    );
  });

  test('a restart needs no step: still federated, tokens still verify', async () => {
    const home = s.home;
    await s.close({ keepHome: true });
    s = await startTestServer({ home });
    const token = portal.token({ aud: s.root, role: 'admin' });
    assert.ok((await s.call('/arcgis/admin', { token })).resources);
    assert.equal((await s.call('/arcgis/rest/info')).owningSystemUrl, portal.url);
  });

  test('unfederating forgets the portal: its CA, its secret, its tokens', async () => {
    const token = portal.token({ aud: s.root, role: 'admin' });
    const bad = await admin('/arcgis/admin/security/config/update', {
      authenticationTier: 'GIS_SERVER',
      portalProperties: portal.properties(),
    });
    assert.equal(bad.errorCode, 'gis.portal_properties_invalid');
    const answer = await admin('/arcgis/admin/security/config/update', {
      authenticationTier: 'GIS_SERVER',
      portalProperties: '{}',
    });
    assert.equal(answer.status, 'success');
    assert.equal((await admin('/arcgis/admin/security/config')).authenticationTier, 'GIS_SERVER');
    assert.equal((await s.call('/arcgis/admin', { token })).code, 498);
    const trusted = await s.server.modules.pki.trust.list();
    assert.ok(!trusted.some((t) => t.alias.startsWith('federated-portal-')));
    assert.equal((await s.call('/arcgis/rest/info')).owningSystemUrl, undefined);
    // And it may now federate with another portal.
    const other = await startFakePortal();
    try {
      assert.equal((await federate(other.properties())).status, 'success');
    } finally {
      await other.close();
    }
  });
});
