/**
 * A federated server's certificate changes, seen at validation (a real portal and a real GIS
 * server in this process, each with its own CA; the server's certificate switched through its
 * own admin API, machines/<m>/sslcertificates and machines/<m>/edit): renewed by the server's
 * own CA → success, nothing to do, and the server still answers the portal and its clients; a
 * certificate from a new CA → failure with the diagnosis (unknown CA), the fingerprint to
 * confirm and how, then validating again with that fingerprint → success (a wrong one refused,
 * nothing trusted); a self-signed certificate → diagnosed as self-signed.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Agent, FormData, fetch } from 'undici';
import { startTestPortal, type TestPortal } from '../../test/portal.ts';
import { opensslCa, opensslServerCert, servedCertificate } from '../pki/routes/test-support.ts';
import { openssl, type TempDir, tempDir } from '../pki/test-helpers.ts';
import { type GisServerUnderTest, type Json, startGis } from './publish/test-publish.ts';
import { createService, eventually, federate, serverToken } from './test-federated.ts';

const PFX_PASSWORD = 'pfx-secret';

describe("a federated server's certificate changes: validate explains it", () => {
  let portal: TestPortal;
  let gis: GisServerUnderTest;
  let token: string;
  let serverId: string;
  let dir: TempDir;
  /** Trusts the server's own CA, the new CA and the self-signed certificate: the test's client only. */
  let client: Agent;
  let newCaPem: string;
  let selfSignedPem: string;
  let machine: string;

  const validate = (fields: Record<string, string> = {}) =>
    portal.call(`/portaladmin/federation/servers/${serverId}/validate`, { token, ...fields });
  const admin = async (path: string, fields: Record<string, string> = {}): Promise<Json> => {
    const body = new URLSearchParams({ f: 'json', token: await serverToken(portal, gis, token), ...fields });
    return (await fetch(`${gis.server.url}${path}`, { method: 'POST', body, dispatcher: client })).json();
  };
  const importPfx = async (alias: string, pfx: Buffer) => {
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', await serverToken(portal, gis, token));
    form.set('alias', alias);
    form.set('certPassword', PFX_PASSWORD);
    form.set('certFile', new Blob([new Uint8Array(pfx)]), `${alias}.pfx`);
    const url = `${gis.server.url}/arcgis/admin/machines/${machine}/sslcertificates/importExistingServerCertificate`;
    const r = (await (await fetch(url, { method: 'POST', body: form, dispatcher: client })).json()) as Json;
    assert.equal(r.status, 'success', JSON.stringify(r));
  };
  /** Makes the server serve `alias`; answers the fingerprint a new connection gets. */
  const serve = async (alias: string): Promise<string> => {
    const r = await admin(`/arcgis/admin/machines/${machine}/edit`, { webServerCertificateAlias: alias });
    assert.deepEqual(r, { status: 'success' });
    const want = (await admin(`/arcgis/admin/machines/${machine}/sslcertificates/${alias}`))
      .sha256Fingerprint;
    const served = await eventually(
      () => servedCertificate(gis.server.httpsPort),
      (c) => c.fingerprint256 === want,
      5000,
    );
    assert.equal(served.fingerprint256, want, `the server serves ${alias}`);
    return want;
  };
  const trustAliases = async () => (await portal.modules.pki.trust.list()).map((e) => e.alias).sort();

  before(async () => {
    dir = tempDir('meridian-cert-change-');
    newCaPem = opensslCa(dir, 'Replacement CA');
    opensslServerCert(dir, 'localhost');
    openssl(
      ['pkcs12', '-export', '-in', 'server.pem', '-inkey', 'server.key', '-certfile', 'ca.pem'].concat([
        '-out',
        'newca.pfx',
        '-passout',
        `pass:${PFX_PASSWORD}`,
      ]),
      dir.path,
    );
    openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
        .concat(['-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=localhost'])
        .concat(['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1']),
      dir.path,
    );
    openssl(
      ['pkcs12', '-export', '-in', 'self.pem', '-inkey', 'self.key'].concat([
        '-out',
        'self.pfx',
        '-passout',
        `pass:${PFX_PASSWORD}`,
      ]),
      dir.path,
    );
    selfSignedPem = dir.read('self.pem').toString();
    [portal, gis] = await Promise.all([startTestPortal(), startGis()]);
    client = new Agent({ connect: { ca: [gis.server.caCertPem, newCaPem, selfSignedPem] } });
    token = await portal.token();
    serverId = await federate(portal, gis, token);
    machine = (await admin('/arcgis/admin/machines')).machines[0].machineName;
    await createService(gis, await serverToken(portal, gis, token), 'Wells');
  });
  after(async () => {
    await gis?.close();
    await portal?.close();
    await client?.close();
    dir?.remove();
  });

  test("renewed by the server's own CA: success, nothing to do; the portal and clients go on", async () => {
    const first = await validate();
    assert.equal(first.status, 'success', JSON.stringify(first));
    assert.match(first.messages[0], /^Certificate: trusted/);
    const generated = await admin(`/arcgis/admin/machines/${machine}/sslcertificates/generate`, {
      alias: 'renewed',
      commonName: 'localhost',
      san: 'DNS:localhost,IP:127.0.0.1',
      validity: '90',
    });
    assert.deepEqual(generated, { status: 'success' });
    await serve('renewed');

    const r = await validate();
    assert.equal(r.status, 'success', JSON.stringify(r));
    assert.match(r.messages[0], /new certificate, issued by a CA this portal trusts .*nothing to do/);
    assert.equal(r.fingerprintToConfirm, undefined);
    assert.ok(r.messages.some((m: string) => /accepts this portal’s administrator tokens/.test(m)));
    const again = await validate();
    assert.match(again.messages[0], /^Certificate: trusted/, 'the new fingerprint was recorded');

    const count = await (
      await fetch(
        `${gis.server.url}/arcgis/rest/services/Wells/FeatureServer/0/query?${new URLSearchParams({
          f: 'json',
          where: '1=1',
          returnCountOnly: 'true',
          token: await serverToken(portal, gis, token),
        })}`,
        { dispatcher: client },
      )
    ).json();
    assert.deepEqual(count, { count: 3 });
  });

  test('a certificate from a new CA: failure with the diagnosis and the fingerprint; confirming it at validate trusts it', async () => {
    const federationAlias = (await trustAliases()).find((a) => a.startsWith('federation-'));
    assert.ok(federationAlias, 'federating added a trust entry');
    await importPfx('newca', dir.read('newca.pfx'));
    await serve('newca');

    const r = await validate();
    assert.equal(r.status, 'failure', JSON.stringify(r));
    assert.equal(r.code, 'servers.untrusted_certificate');
    assert.equal(r.diagnosisCode, 'trust.unknown_ca');
    assert.match(r.messages[0], /changed and is issued by a CA this portal does not trust/);
    const newCa = new X509Certificate(newCaPem);
    assert.equal(r.fingerprintToConfirm, newCa.fingerprint256, 'the new CA is the one to confirm');
    assert.ok(
      r.messages[0].includes(`servers/<id>/validate) with trustPresentedCertificate=${newCa.fingerprint256}`),
      r.messages[0],
    );
    // The list's validate says the same.
    const all = await portal.call('/portaladmin/federation/servers/validate', { token });
    assert.equal(all.status, 'failure');
    assert.equal(all.serversStatus[0].diagnosisCode, 'trust.unknown_ca');

    const trusted = await trustAliases();
    const wrong = await validate({ trustPresentedCertificate: 'AB'.repeat(32) });
    assert.equal(wrong.errorCode, 'servers.fingerprint_mismatch', JSON.stringify(wrong));
    assert.deepEqual(await trustAliases(), trusted, 'nothing trusted');

    const ok = await validate({
      trustPresentedCertificate: r.fingerprintToConfirm.replaceAll(':', '').toLowerCase(),
    });
    assert.equal(ok.status, 'success', JSON.stringify(ok));
    assert.match(ok.messages[0], /the confirmed certificate is trusted now \(trust entry 'federation-/);
    assert.match(ok.messages[1], new RegExp(`former trust entry '${federationAlias}' was removed`));
    const now = await trustAliases();
    assert.ok(!now.includes(federationAlias), 'the old CA is trusted no longer');
    const entry = (await portal.modules.pki.trust.list()).find((e) => !trusted.includes(e.alias));
    assert.ok(entry, 'the new CA is in the trust store');
    assert.match((await validate()).messages[0], /^Certificate: trusted/);

    // Unfederating later removes the entry the confirmation added.
    const row = await portal.kernel.db.kysely
      .selectFrom('federated_servers')
      .select('trust_alias')
      .where('id', '=', serverId)
      .executeTakeFirstOrThrow();
    assert.equal(row.trust_alias, entry.alias);
  });

  test('a self-signed certificate: diagnosed as self-signed, with its fingerprint to confirm', async () => {
    await importPfx('selfsigned', dir.read('self.pfx'));
    await serve('selfsigned');
    const r = await validate();
    assert.equal(r.status, 'failure', JSON.stringify(r));
    assert.equal(r.code, 'servers.untrusted_certificate');
    assert.equal(r.diagnosisCode, 'trust.self_signed');
    assert.match(r.messages[0], /self-signed/i);
    assert.equal(r.fingerprintToConfirm, new X509Certificate(selfSignedPem).fingerprint256);
  });
});
