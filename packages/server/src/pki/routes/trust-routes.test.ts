import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import type { MeridianError } from '../../kernel/errors/meridian-error.ts';
import {
  closedPort,
  type RunningServer,
  startHttpsServer,
  startTlsServer,
} from '../diagnose/test-servers.ts';
import { type GeneratedCertificate, generateCertificate } from '../generate-certificate.ts';
import { ensureLocalCa } from '../local-ca-store.ts';
import { asIssuer, caHierarchy, leafOptions } from '../test-helpers.ts';
import { snapshot, upload } from './test-support.ts';

const DAY = 86_400_000;
const TRUST = '/portaladmin/security/trustStore';
const IMPORT = '/portaladmin/security/sslCertificates/importRootOrIntermediate';

for (const database of ['sqlite', 'postgres'] as const) {
  describe(`trust store and diagnosis over HTTPS (${database})`, () => {
    let portal: TestPortal;
    let token: string;
    let root: GeneratedCertificate;
    let inter: GeneratedCertificate;
    let partner: RunningServer;
    const servers: RunningServer[] = [];
    const call = (
      path: string,
      fields: Record<string, string | number | boolean> = {},
      method: 'GET' | 'POST' = 'POST',
    ) => portal.call(path, { token, ...fields }, { method });
    const diagnose = (url: string) => call('/portaladmin/security/diagnose', { url }, 'GET');
    const serve = async (cert: GeneratedCertificate, chain = '') => {
      const s = await startTlsServer({ key: cert.keyPem, cert: cert.certPem + chain });
      servers.push(s);
      return s;
    };

    before(async () => {
      portal = await startTestPortal({ database, overrides: { 'outbound.trustPublicRoots': false } });
      token = await portal.token();
      ({ root, inter } = await caHierarchy('Partner'));
      const leaf = await generateCertificate(leafOptions({ issuer: asIssuer(inter) }));
      partner = await startHttpsServer({ key: leaf.keyPem, cert: leaf.certPem + inter.certPem }, (_q, r) => {
        r.writeHead(200, { 'content-type': 'application/json' }).end('{"partner":true}');
      });
      servers.push(partner);
    });
    after(async () => {
      for (const s of servers) await s.close();
      await portal.close();
    });

    test("the portal's own root CA is always trusted: listed, built in, not removable", async () => {
      const list = await call(TRUST, {}, 'GET');
      assert.equal(list.certificates.length, 1);
      const [ca] = list.certificates;
      assert.equal(ca.alias, 'portal-root-ca');
      assert.equal(ca.builtIn, true);
      assert.equal(ca.isCA, true);
      assert.equal(ca.expiryState, 'valid');
      const refused = await call(`${TRUST}/portal-root-ca/delete`);
      assert.equal(refused.errorCode, 'trust.built_in');
      // A server issued by the portal CA (a partner portal of the same installation) is trusted out of the box.
      const own = await generateCertificate(
        leafOptions({ alias: 'node2', issuer: await ensureLocalCa(portal.kernel) }),
      );
      const s = await serve(own);
      const r = await diagnose(s.url);
      assert.equal(r.code, 'ok', r.message);
    });

    test('importRootOrIntermediate: the outbound client trusts a server that failed before, without a restart; delete takes it back', async () => {
      const client = portal.modules.pki.outbound.client();
      await assert.rejects(
        client.request(partner.url),
        (err: MeridianError) => err.code === 'trust.unknown_ca',
      );
      const before = await diagnose(partner.url);
      assert.equal(before.ok, false);
      assert.equal(before.code, 'trust.unknown_ca');
      assert.match(before.fix, /importRootOrIntermediate/);

      const r = await upload(
        portal,
        IMPORT,
        { token, alias: 'partner-root', norestart: 'true' },
        {
          name: 'root.cer',
          data: new Uint8Array(Buffer.from(root.certPem.replace(/-----[^-]+-----|\s/g, ''), 'base64')),
        },
      );
      assert.deepEqual(r, { status: 'success', aliases: ['partner-root'], notes: [] });
      const res = await client.request(partner.url);
      assert.equal(res.status, 200);
      assert.deepEqual(res.json(), { partner: true });
      assert.equal((await diagnose(partner.url)).code, 'ok');

      const d = await call(`${TRUST}/partner-root`, {}, 'GET');
      assert.equal(d.subject, 'CN=Partner Root CA, O=Meridian Tests');
      assert.equal(d.sha256Fingerprint, root.details.sha256Fingerprint);
      assert.equal(d.isCA, true);
      assert.equal(d.builtIn, false);
      assert.equal(d.keyAlgorithm, 'EC');

      assert.equal((await call(`${TRUST}/partner-root/delete`)).status, 'success');
      await assert.rejects(
        client.request(partner.url),
        (err: MeridianError) => err.code === 'trust.unknown_ca',
      );
      assert.equal((await call(`${TRUST}/partner-root/delete`)).errorCode, 'trust.alias_not_found');
      assert.equal((await call(`${TRUST}/partner-root`, {}, 'GET')).errorCode, 'trust.alias_not_found');
    });

    test('a PEM bundle adds every certificate once; bad files and taken aliases change nothing', async () => {
      const r = await call(IMPORT, { alias: 'bundle', certificate: root.certPem + inter.certPem });
      assert.deepEqual(r, { status: 'success', aliases: ['bundle', 'bundle-2'], notes: [] });
      const again = await call(IMPORT, { alias: 'other', certificate: inter.certPem });
      assert.deepEqual(again.aliases, ['bundle-2'], 'the same certificate is not stored twice');
      assert.deepEqual(again.notes, [
        "CN=Partner Issuing CA, O=Meridian Tests is already trusted under another alias, 'bundle-2': it was not added again as 'other'.",
      ]);
      // A server's own certificate: trusted, and the answer says it pins that one server.
      const leafPem = (
        await generateCertificate(
          leafOptions({ alias: 'pinned', cn: 'gis.partner.test', san: ['gis.partner.test'] }),
        )
      ).certPem;
      const pin = await call(IMPORT, { alias: 'pinned-gis', certificate: leafPem });
      assert.deepEqual(pin.aliases, ['pinned-gis']);
      assert.equal(pin.notes.length, 1);
      assert.match(
        pin.notes[0],
        /^'pinned-gis' \(CN=gis\.partner\.test\) is not a certificate authority but a server's own certificate: it pins that one server \(gis\.partner\.test\)\./,
      );
      assert.equal((await call(`${TRUST}/pinned-gis/delete`)).status, 'success');
      const before = await snapshot(portal);
      const bad: [Record<string, string>, string][] = [
        [
          {
            alias: 'x',
            certificate: '-----BEGIN CERTIFICATE-----\nMIIB!!garbage\n-----END CERTIFICATE-----\n',
          },
          'pki.not_a_certificate',
        ],
        [{ alias: 'x', certificate: root.certPem.slice(0, 200) }, 'pki.certificate_truncated'],
        [
          { alias: 'bundle', certificate: (await generateCertificate(leafOptions({ alias: 'z' }))).certPem },
          'trust.alias_exists',
        ],
        [{ alias: 'portal-root-ca', certificate: inter.certPem }, 'trust.built_in'],
        [{ alias: 'bad alias!', certificate: inter.certPem }, 'pki.invalid_request'],
      ];
      for (const [fields, code] of bad) {
        const res = await call(IMPORT, fields);
        assert.equal(res.errorCode, code, JSON.stringify(res));
      }
      const garbageFile = await upload(
        portal,
        IMPORT,
        { token, alias: 'x' },
        { name: 'photo.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]) },
      );
      assert.equal(garbageFile.errorCode, 'pki.not_a_certificate');
      assert.match(garbageFile.messages[0], /PNG/);
      assert.deepEqual(await snapshot(portal), before);
      const list = await call(TRUST, {}, 'GET');
      assert.deepEqual(
        list.certificates.map((c: { alias: string }) => c.alias),
        ['portal-root-ca', 'bundle', 'bundle-2'],
      );
      for (const a of ['bundle', 'bundle-2'])
        assert.equal((await call(`${TRUST}/${a}/delete`)).status, 'success');
    });

    test('diagnose answers each code for a real failing server', async () => {
      const self = await serve(await generateCertificate(leafOptions({ alias: 'self' })));
      const rootOnly = await generateCertificate(leafOptions({ issuer: asIssuer(root) }));
      const unknown = await serve(rootOnly, root.certPem);
      await call(IMPORT, { alias: 'partner-root', certificate: root.certPem });
      const mismatch = await serve(
        await generateCertificate(
          leafOptions({ cn: 'portal-b.example.org', san: ['portal-b.example.org'], issuer: asIssuer(root) }),
        ),
      );
      const expired = await serve(
        await generateCertificate(
          leafOptions({ issuer: asIssuer(root), validityDays: 30, now: new Date(Date.now() - 400 * DAY) }),
        ),
      );
      const incomplete = await serve(await generateCertificate(leafOptions({ issuer: asIssuer(inter) })));
      const refusedUrl = `https://127.0.0.1:${await closedPort()}/portal`;
      await call(`${TRUST}/partner-root/delete`);

      const cases: [string, string][] = [
        [self.url, 'trust.self_signed'],
        [unknown.url, 'trust.unknown_ca'],
        [refusedUrl, 'net.connection_refused'],
      ];
      for (const [url, code] of cases) {
        const r = await diagnose(url);
        assert.equal(r.code, code, r.message);
        assert.equal(r.ok, false);
        assert.ok(r.fix.length > 10);
      }
      const selfReport = await diagnose(self.url);
      assert.equal(selfReport.presentedChain.length, 1);
      assert.equal(
        selfReport.suggestedTrust.sha256Fingerprint,
        selfReport.presentedChain[0].sha256Fingerprint,
      );

      await call(IMPORT, { alias: 'partner-root', certificate: root.certPem });
      const mm = await diagnose(mismatch.url);
      assert.equal(mm.code, 'trust.hostname_mismatch');
      assert.deepEqual(mm.certificateNames, ['portal-b.example.org']);
      assert.equal((await diagnose(expired.url)).code, 'trust.expired');
      const inc = await diagnose(incomplete.url);
      assert.equal(inc.code, 'trust.incomplete_chain');
      assert.equal(inc.missingIssuer.subject, 'CN=Partner Issuing CA, O=Meridian Tests');
      assert.equal((await diagnose('http://127.0.0.1/')).errorCode, 'outbound.invalid_url');
      await call(`${TRUST}/partner-root/delete`);
    });

    test('"trust this": a wrong fingerprint imports nothing; the confirmed one imports and the diagnosis is then ok', async () => {
      const selfCert = await generateCertificate(
        leafOptions({ alias: 'self2', cn: 'Partner Portal Self', san: ['127.0.0.1'] }),
      );
      const s = await serve(selfCert);
      const first = await diagnose(s.url);
      assert.equal(first.code, 'trust.self_signed');
      const before = await snapshot(portal);
      const wrong = await call('/portaladmin/security/diagnose/trust', {
        url: s.url,
        sha256Fingerprint: root.details.sha256Fingerprint,
      });
      assert.equal(wrong.errorCode, 'trust.fingerprint_mismatch');
      assert.match(wrong.messages[0], new RegExp(selfCert.details.sha256Fingerprint));
      assert.deepEqual(await snapshot(portal), before);

      const ok = await call('/portaladmin/security/diagnose/trust', {
        url: s.url,
        sha256Fingerprint: first.suggestedTrust.sha256Fingerprint.replace(/:/g, '').toLowerCase(),
      });
      assert.equal(ok.status, 'success', JSON.stringify(ok));
      assert.equal(ok.alias, 'partner-portal-self');
      assert.match(ok.notes[0], /^'partner-portal-self' .* pins that one server \(127\.0\.0\.1\)/);
      assert.equal(ok.diagnosis.code, 'ok');
      assert.equal(
        (await portal.modules.pki.outbound.diagnose(s.url)).code,
        'ok',
        'the shared outbound trust store has it',
      );
      const nothing = await call('/portaladmin/security/diagnose/trust', {
        url: s.url,
        sha256Fingerprint: selfCert.details.sha256Fingerprint,
      });
      assert.equal(nothing.errorCode, 'trust.nothing_to_trust');
      assert.match(nothing.messages[0], /already trusted/);
    });

    test('"trust this" is not offered, and refused, when trusting alone would leave another problem', async () => {
      const named = await generateCertificate(
        leafOptions({ alias: 'named', cn: 'portal-z.example.org', san: ['portal-z.example.org'] }),
      );
      const s = await serve(named);
      const r = await diagnose(s.url);
      assert.equal(r.code, 'trust.self_signed');
      assert.deepEqual(
        r.problems.map((p: { code: string }) => p.code),
        ['trust.self_signed', 'trust.hostname_mismatch'],
      );
      assert.equal(r.suggestedTrust, undefined);
      const before = await snapshot(portal);
      const refused = await call('/portaladmin/security/diagnose/trust', {
        url: s.url,
        sha256Fingerprint: named.details.sha256Fingerprint,
      });
      assert.equal(refused.errorCode, 'trust.nothing_to_trust');
      assert.match(refused.messages[0], /Trusting a certificate would not fix .*not for 127\.0\.0\.1/);
      assert.deepEqual(await snapshot(portal), before);
    });
  });
}
