/**
 * GIS-server federation across two processes (portal and server, each its own data directory
 * and CA), through the causes of seed 001: a self-signed server certificate and an unknown CA
 * (diagnosed, then trusted by confirming the fingerprint), one-minute portal tokens (every
 * federation call mints a fresh credential; a stale client token is refused and replaced), and a
 * restart of either side (SIGKILL of the server; the portal stopped and started again). Access to
 * a private service follows its portal item's sharing, and a server token opens one server only.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { queryFeatures } from '@esri/arcgis-rest-feature-service';
import { ArcGISIdentityManager } from '@esri/arcgis-rest-request';
import { Agent, fetch, getGlobalDispatcher, setGlobalDispatcher } from 'undici';
import { gridPoints, pointsGeoJson } from './gis/points.ts';
import { selfSignedLocalhost } from './gis/self-signed.ts';
import { eventually, type Json, PORTAL_ADMIN_PASSWORD, type Sites, startSites } from './gis/sites.ts';
import { type GisServerProcess, startGisServerProcess } from './gis-server-process.ts';

const BOB = { username: 'bob.builder', password: 'Bob-passw0rd!' };
const hex = (fp: string) => fp.replace(/[^0-9a-f]/gi, '').toUpperCase();

describe('GIS-server federation between two processes', () => {
  let sites: Sites;
  let other: GisServerProcess;
  let otherHome: string;
  /** Trusts the portal CA and both servers' CAs. */
  let threeCas: Agent;
  let admin: string;
  let serverId: string;
  let layer: string;
  let itemId: string;
  /** A server token minted under the one-minute policy, long before the last test. */
  let early: { token: string; expires: number };
  let session: ArcGISIdentityManager;
  const previous = getGlobalDispatcher();
  const clientQuery = () =>
    queryFeatures({
      url: layer,
      where: 'rank = 1',
      returnCountOnly: true,
      authentication: session,
    }) as Promise<Json>;
  const portal = (path: string, params: Record<string, string> = {}) =>
    sites.call(`${sites.portalUrl}${path}`, { token: admin, ...params });
  const bobQuery = async () => {
    const t = await sites.serverToken(await sites.portalToken(BOB.username, BOB.password));
    assert.ok(t.token, JSON.stringify(t));
    return sites.get(`${layer}/query`, { where: '1=1', returnCountOnly: 'true', token: t.token });
  };

  before(async () => {
    otherHome = mkdtempSync(join(tmpdir(), 'meridian-gis-other-'));
    [sites, other] = await Promise.all([startSites('gis-federation'), startGisServerProcess(otherHome)]);
    threeCas = new Agent({ connect: { ca: [sites.portal.caPem, sites.server.caPem, other.caPem] } });
    admin = await sites.portalToken();
    // Seed 001's expiring tokens: the shortest lifetime the portal allows, from the start.
    const policy = await portal('/sharing/rest/portals/self/update', {
      maxTokenExpirationMinutes: '1',
      defaultTokenExpirationMinutes: '1',
    });
    assert.ok(!policy.error, JSON.stringify(policy));
  });

  after(async () => {
    setGlobalDispatcher(previous);
    await threeCas?.close();
    await other?.stop();
    await sites?.close();
    if (otherHome) rmSync(otherHome, { recursive: true, force: true });
  });

  test('a self-signed server certificate: federate says so, with its code and fix; nothing is stored', async () => {
    const dir = join(sites.dir, 'self-signed');
    mkdirSync(dir);
    const self = selfSignedLocalhost(dir);
    const serverAdmin = await sites.server.adminToken();
    const machine = `${sites.server.root}/admin/machines/localhost`;
    const original = (await sites.get(machine, { token: serverAdmin })).webServerCertificateAlias;
    assert.ok(original, 'the machine names its certificate');
    const imported = await sites.upload(
      `${machine}/sslcertificates/importExistingServerCertificate`,
      { alias: 'self-signed', certPassword: self.password, token: serverAdmin },
      { certFile: { name: 'self.pfx', data: self.pfx } },
    );
    assert.equal(imported.status, 'success', JSON.stringify(imported));
    const edit = await sites.call(`${machine}/edit`, {
      webServerCertificateAlias: 'self-signed',
      token: serverAdmin,
    });
    assert.equal(edit.status, 'success', JSON.stringify(edit));

    const form = { url: sites.server.root, username: 'admin', password: sites.server.adminPassword };
    const refused = await eventually(
      () => portal('/portaladmin/federation/servers/federate', form),
      (r: Json) => r.diagnosisCode === 'trust.self_signed',
      10_000,
    );
    assert.equal(refused.errorCode, 'servers.untrusted_certificate', JSON.stringify(refused));
    assert.equal(refused.diagnosisCode, 'trust.self_signed');
    assert.match(refused.messages[0], /self-signed/i);
    assert.match(refused.messages[0], /trustPresentedCertificate=/);
    assert.equal(refused.presentedChain.length, 1);
    assert.equal(hex(refused.fingerprintToConfirm), hex(new X509Certificate(self.certPem).fingerprint256));
    assert.deepEqual((await portal('/portaladmin/federation/servers')).servers, []);

    // Back to the certificate of the server's own CA (this client trusts the self-signed one now).
    const both = new Agent({ connect: { ca: [sites.server.caPem, self.certPem] } });
    const back = await fetch(`${machine}/edit`, {
      method: 'POST',
      dispatcher: both,
      body: new URLSearchParams({ f: 'json', webServerCertificateAlias: original, token: serverAdmin }),
    });
    assert.equal(((await back.json()) as Json).status, 'success');
    await both.close();
    const again = await eventually(
      () => portal('/portaladmin/federation/servers/federate', form),
      (r: Json) => r.diagnosisCode === 'trust.unknown_ca',
      10_000,
    );
    assert.equal(again.diagnosisCode, 'trust.unknown_ca', JSON.stringify(again));
  });

  test('federate after confirming the fingerprint of the unknown CA: both sides say so', async () => {
    const { untrusted, answer } = await sites.federate(admin);
    assert.equal(untrusted.errorCode, 'servers.untrusted_certificate', JSON.stringify(untrusted));
    assert.equal(untrusted.diagnosisCode, 'trust.unknown_ca');
    // The diagnosis names the server's CA, which does not share its name with the portal's.
    const caName = (pem: string) => /CN=([^\n]+)/.exec(new X509Certificate(pem).subject)![1]!;
    assert.match(caName(sites.server.caPem), /^Meridian GIS Server CA /);
    assert.match(caName(sites.portal.caPem), /^Meridian Portal CA /);
    assert.ok(untrusted.messages[0].includes(caName(sites.server.caPem)), untrusted.messages[0]);
    const caFingerprint = hex(new X509Certificate(sites.server.caPem).fingerprint256);
    assert.equal(hex(untrusted.fingerprintToConfirm), caFingerprint);
    assert.ok(untrusted.presentedChain.some((c: Json) => hex(c.sha256Fingerprint) === caFingerprint));
    assert.equal(answer.status, 'success', JSON.stringify(answer));
    serverId = answer.serverId;

    const info = await sites.get(`${sites.server.root}/rest/info`);
    assert.equal(info.owningSystemUrl, sites.portalUrl);
    assert.equal(info.authInfo.tokenServicesUrl, `${sites.portalUrl}/sharing/rest/generateToken`);
    const listed = (await portal('/portaladmin/federation/servers')).servers;
    assert.deepEqual(
      listed.map((s: Json) => [s.id, s.url.toLowerCase()]),
      [[serverId, sites.server.root.toLowerCase()]],
    );
    const self = await portal('/sharing/rest/portals/self/servers');
    assert.deepEqual(
      self.servers.map((s: Json) => s.id),
      [serverId],
    );
    const app = await portal('/portaladmin/security/oauth/getAppInfo', { appID: 'arcgisonline' });
    assert.ok(
      JSON.stringify(app.redirect_uris ?? app)
        .toLowerCase()
        .includes(sites.server.root.toLowerCase()),
      JSON.stringify(app).slice(0, 500),
    );
    const t = await sites.serverToken(admin);
    assert.ok(
      t.token && t.expires - Date.now() <= 61_000,
      `a one-minute server token: ${JSON.stringify(t.expires)}`,
    );
    early = t;
    // arcgis-rest-js signed in to the portal now; the last test uses it again after its tokens expired.
    setGlobalDispatcher(new Agent({ connect: { ca: [sites.portal.caPem, sites.server.caPem] } }));
    session = await ArcGISIdentityManager.signIn({
      username: 'admin',
      password: PORTAL_ADMIN_PASSWORD,
      portal: `${sites.portalUrl}/sharing/rest`,
    });
  });

  test('a private service: another user gets 403, anonymous 499; group sharing opens it, unsharing closes it', async () => {
    const serverToken = (await sites.serverToken(admin)).token;
    const started = await sites.upload(
      `${sites.server.root}/admin/services/createService`,
      { service: JSON.stringify({ serviceName: 'Hydrants', type: 'FeatureServer' }), token: serverToken },
      { file: { name: 'hydrants.geojson', data: pointsGeoJson(gridPoints(300)) } },
    );
    assert.equal(started.status, 'success', JSON.stringify(started));
    const job = await eventually(
      () => sites.get(`${sites.server.root}/admin/jobs/${started.jobId}`, { token: serverToken }),
      (j: Json) => j.status === 'succeeded' || j.status === 'failed',
    );
    assert.equal(job.status, 'succeeded', JSON.stringify(job));
    layer = `${sites.server.root}/rest/services/Hydrants/FeatureServer/0`;
    const found = await eventually(
      () => portal('/sharing/rest/search', { q: 'Hydrants type:"Feature Service"' }),
      (r: Json) => r.results?.length === 1,
    );
    itemId = found.results[0].id;
    assert.equal(found.results[0].owner, 'admin');

    const created = await sites.call(`${sites.portalUrl}/portaladmin/security/users/createUser`, {
      token: admin,
      ...BOB,
      firstname: 'Bob',
      lastname: 'Builder',
      email: 'bob@example.org',
      role: 'org_user',
    });
    assert.ok(!created.error && created.status !== 'error', JSON.stringify(created));
    assert.equal((await bobQuery()).error?.code, 403);
    assert.equal((await sites.get(`${layer}/query`, { where: '1=1' })).error?.code, 499);

    const { group } = await portal('/sharing/rest/community/createGroup', {
      title: 'Hydrant crew',
      access: 'private',
    });
    const added = await portal(`/sharing/rest/community/groups/${group.id}/addUsers`, {
      users: BOB.username,
    });
    assert.deepEqual(added.notAdded ?? [], []);
    const shared = await portal(`/sharing/rest/content/users/admin/items/${itemId}/share`, {
      groups: group.id,
    });
    assert.deepEqual(shared.notSharedWith, []);
    // The server caches each answer of the portal for up to 15 s.
    const open = await eventually(bobQuery, (r: Json) => r.count === 300, 25_000);
    assert.equal(open.count, 300, JSON.stringify(open));
    await portal(`/sharing/rest/content/users/admin/items/${itemId}/unshare`, { groups: group.id });
    const closed = await eventually(bobQuery, (r: Json) => r.error?.code === 403, 25_000);
    assert.equal(closed.error?.code, 403, JSON.stringify(closed));
    assert.equal((await clientQuery()).count, 30, 'the owner, through arcgis-rest-js');
  });

  test('a server token opens its server only; the portal mints none for a server it has not federated', async () => {
    const unknown = await sites.serverToken(admin, other.root);
    assert.equal(unknown.token, undefined, JSON.stringify(unknown));
    assert.ok(unknown.error, JSON.stringify(unknown));
    // Federate the other server too: each server token is for one of them.
    const form = { url: other.root, username: 'admin', password: other.adminPassword, token: admin };
    const first = await portal('/portaladmin/federation/servers/federate', form);
    const ok = await portal('/portaladmin/federation/servers/federate', {
      ...form,
      trustPresentedCertificate: first.fingerprintToConfirm,
    });
    assert.equal(ok.status, 'success', JSON.stringify(ok));
    const forThis = (await sites.serverToken(admin)).token;
    const forOther = (await sites.serverToken(admin, other.root)).token;
    const adminOf = (root: string, token: string) =>
      fetch(`${root}/admin/security/config?f=json&token=${encodeURIComponent(token)}`, {
        dispatcher: threeCas,
      }).then((r) => r.json() as Promise<Json>);
    assert.equal((await adminOf(other.root, forThis)).code, 498, 'refused by the other server');
    assert.equal((await adminOf(other.root, forOther)).authenticationTier, 'ARCGIS_PORTAL');
    assert.equal((await adminOf(sites.server.root, forOther)).code, 498, 'and the other way round');
    const gone = await portal(`/portaladmin/federation/servers/${ok.serverId}/unfederate`);
    assert.equal(gone.status, 'success', JSON.stringify(gone));
    const info = await fetch(`${other.root}/rest/info?f=json`, { dispatcher: threeCas });
    assert.equal(((await info.json()) as Json).owningSystemUrl, undefined);
  });

  test('the server killed (SIGKILL) and started on the same port: validate succeeds, queries work, no manual step', async () => {
    const token = (await sites.serverToken(admin)).token;
    await sites.restartServer({ kill: true });
    const v = await portal(`/portaladmin/federation/servers/${serverId}/validate`);
    assert.equal(v.status, 'success', JSON.stringify(v));
    const count = await sites.get(`${layer}/query`, { where: '1=1', returnCountOnly: 'true', token });
    assert.equal(count.count, 300, JSON.stringify(count));
    assert.equal((await bobQuery()).error?.code, 403, 'access is still asked of the portal');
  });

  test('the portal restarted: server tokens minted before still verify; new ones are issued', async () => {
    const before = (await sites.serverToken(admin)).token;
    await sites.restartPortal();
    const count = await sites.get(`${layer}/query`, { where: '1=1', returnCountOnly: 'true', token: before });
    assert.equal(count.count, 300, JSON.stringify(count));
    admin = await sites.portalToken();
    const after = await sites.serverToken(admin);
    assert.ok(after.token && after.token !== before, JSON.stringify(after));
    const again = await sites.get(`${layer}/query`, {
      where: '1=1',
      returnCountOnly: 'true',
      token: after.token,
    });
    assert.equal(again.count, 300);
    const v = await portal(`/portaladmin/federation/servers/${serverId}/validate`);
    assert.equal(v.status, 'success', JSON.stringify(v));
  });

  test('more than a minute of one-minute tokens: the stale one is refused (498), fresh credentials keep working', async () => {
    // The early token expires (poll the server, no blind sleep).
    const stale = await eventually(
      () => sites.get(`${layer}/query`, { where: '1=1', returnCountOnly: 'true', token: early.token }),
      (r: Json) => r.error?.code === 498,
      Math.max(5_000, early.expires - Date.now() + 10_000),
    );
    assert.equal(stale.error?.code, 498, JSON.stringify(stale));
    // Every call of the portal to the server mints its own credential: validate still succeeds.
    admin = await sites.portalToken();
    const v = await portal(`/portaladmin/federation/servers/${serverId}/validate`);
    assert.equal(v.status, 'success', JSON.stringify(v));
    // The server's access calls to the portal too: bob still gets an answer (403), not an error.
    assert.equal((await bobQuery()).error?.code, 403);
    // The client's tokens are older than a minute: it gets new ones and queries on.
    await eventually(
      async () => Date.now(),
      (now) => now > session.tokenExpires.getTime(),
      65_000,
    );
    assert.equal((await clientQuery()).count, 30);
  });
});
