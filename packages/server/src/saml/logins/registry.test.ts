/**
 * The logins registry over HTTP, as ArcGIS clients call it: one IdP (metadata URL through the
 * guarded client, metadata file, entered fields; aliases), a federation (handed to the
 * federations module), the one-login rule, update, unregister; bad metadata and certificates
 * refused with what is wrong and nothing changed. And the SP metadata: endpoints, certificates,
 * the entity ID, the key rollover, the signed variant.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { SignedXml } from 'xml-crypto';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { addUser, USER_PASSWORD } from '../../identity/test-users.ts';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import { IDP_SSO, IDP_SSO_POST, idpMetadata, postForm } from '../signin/test-saml.ts';
import { createTestIdp, type TestIdp } from '../validate/test-idp.ts';
import { parseXml } from '../validate/xml.ts';

describe('SAML logins registry and SP metadata', () => {
  let portal: TestPortal;
  let admin: string;
  let idp: TestIdp;
  let server: RunningServer;
  const served: Record<string, string> = {};

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    const ca = await createRootCa('SAML Test CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    await portal.modules.pki.trust.import('saml-test-ca', ca.certPem);
    server = await startHttpsServer(
      { key: leaf.keyPem, cert: leaf.certPem + ca.certPem },
      (req, res: ServerResponse) => {
        const body = served[req.url ?? ''];
        if (body === undefined) return void res.writeHead(404).end('no');
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body);
      },
    );
    served['/idp.xml'] = idpMetadata(idp);
    served['/doctype.xml'] = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>${idpMetadata(idp)}`;
  });
  after(async () => {
    await server?.close();
    await portal?.close();
  });

  const P = '/sharing/rest/portals/self';
  const get = (path: string) => portal.call(path, { token: admin }, { method: 'GET' });
  const self = () => portal.call(P, {}, { method: 'GET' });

  test('one IdP from a metadata URL; the other kind refused; update with aliases; bad input changes nothing; unregister', async () => {
    assert.deepEqual(await get(`${P}/idp`), {});
    assert.equal((await self()).canSignInIDP, false);

    const doctype = await postForm(portal, `${P}/idp/register`, admin, {
      name: 'Example',
      idpMetadataUrl: new URL('doctype.xml', server.url).toString(),
    });
    assert.equal(doctype.error?.messageCode, 'saml.metadata_invalid', JSON.stringify(doctype));
    assert.match(doctype.error.message, /DOCTYPE/);
    const missing = await postForm(portal, `${P}/idp/register`, admin, {
      name: 'Example',
      idpMetadataUrl: new URL('missing.xml', server.url).toString(),
    });
    assert.match(missing.error?.message, /HTTP 404/);
    assert.deepEqual(await get(`${P}/idp`), {}, 'nothing stored');

    const r = await postForm(portal, `${P}/idp/register`, admin, {
      name: 'Example University',
      idpMetadataUrl: new URL('idp.xml', server.url).toString(),
      signUpMode: 'Invitation',
      roleId: 'org_publisher',
      groups: 'g1,g2',
      // Propagated logout without logoutUrl: the metadata's SingleLogoutService is enough.
      supportsLogoutRequest: 'true',
    });
    assert.equal(r.success, true, JSON.stringify(r));
    const login = await get(`${P}/idp`);
    assert.equal(login.id, r.id);
    assert.equal(login.idpEntityId, idp.entityId);
    assert.equal(login.bindingUrl, IDP_SSO);
    assert.equal(login.postBindingUrl, IDP_SSO_POST);
    assert.equal(login.idpMetadataUrl, new URL('idp.xml', server.url).toString());
    assert.equal(login.signUpMode, 'Invitation');
    assert.equal(login.roleId, 'org_publisher');
    assert.deepEqual(login.groups, ['g1', 'g2']);
    assert.equal(login.entityIdIsDefault, true);
    assert.equal(login.entityId, new URL(portal.kernel.baseUrl()).hostname);
    assert.equal(login.singleLogoutServices.length, 1);
    assert.equal(login.supportsLogoutRequest, true);
    const s = await self();
    assert.equal(s.canSignInIDP, true);
    assert.equal(s.idpName, 'Example University', 'portals/self names the login for the sign-in page');
    // The same through portals/<the organisation's id>/…
    assert.equal((await get(`/sharing/rest/portals/${s.id}/idp`)).id, r.id);
    assert.equal((await get('/sharing/rest/portals/0123456789abcdef/idp')).error?.code, 400);

    const fed = await postForm(portal, `${P}/idp/federation/register`, admin, {
      name: 'Fed',
      metadataServiceUrl: new URL('agg.xml', server.url).toString(),
      certificate: idp.certPem,
    });
    assert.equal(fed.error?.messageCode, 'saml.login_exists');
    assert.match(fed.error.message, /cannot also have a federation/);
    const second = await postForm(portal, `${P}/idp/register`, admin, {
      name: 'Again',
      idpMetadataUrl: new URL('idp.xml', server.url).toString(),
    });
    assert.equal(second.error?.messageCode, 'saml.login_exists');

    const other = await createTestIdp('https://idp2.example.org/idp');
    const up = await postForm(portal, `${P}/idp/${r.id}/update`, admin, {
      bindingUrl: 'https://idp2.example.org/sso/redirect',
      bindingPostUrl: 'https://idp2.example.org/sso/post',
      certificate: other.certPem.replace(/-----[^-]+-----|\s/g, ''),
      idpEntityId: other.entityId,
      supportLogoutRequest: 'true',
      logoutUrl: 'https://idp2.example.org/slo',
      entityId: 'https://portal.example.org/meridian',
      useSHA256: 'false',
    });
    assert.equal(up.success, true, JSON.stringify(up));
    const changed = await get(`${P}/idp`);
    assert.equal(
      changed.postBindingUrl,
      'https://idp2.example.org/sso/post',
      'bindingPostUrl is postBindingUrl',
    );
    assert.equal(changed.supportsLogoutRequest, true, 'supportLogoutRequest is supportsLogoutRequest');
    assert.equal(changed.idpEntityId, other.entityId);
    assert.equal(changed.entityId, 'https://portal.example.org/meridian');
    assert.equal(changed.useSHA256, false);
    assert.equal(changed.name, 'Example University', 'what was not sent is kept');

    for (const [fields, code, what] of [
      [{ certificate: 'not a certificate' }, 'saml.certificate_invalid', /Base64/],
      [
        { certificate: `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----` },
        'saml.certificate_invalid',
        /not an X\.509/,
      ],
      [
        { encryptionCertificate: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' },
        'saml.certificate_invalid',
        /no -----BEGIN CERTIFICATE/,
      ],
      [{ signUpMode: 'Sometimes' }, 'saml.login_invalid', /signUpMode/],
      [{ roleId: 'iAAAAAAAAAAAAAAA' }, 'saml.login_invalid', /roleId/],
      [{ bindingUrl: 'javascript:alert(1)' }, 'saml.login_invalid', /bindingUrl/],
    ] as const) {
      const bad = await postForm(portal, `${P}/idp/${r.id}/update`, admin, fields);
      assert.equal(bad.error?.messageCode, code, JSON.stringify(bad));
      assert.match(bad.error.message, what);
    }
    const broken = await postForm(
      portal,
      `${P}/idp/${r.id}/update`,
      admin,
      {},
      {
        name: 'idpMetadataFile',
        content: idpMetadata(idp).replace('</md:IDPSSODescriptor>', ''),
      },
    );
    assert.equal(broken.error?.messageCode, 'saml.metadata_invalid');
    const noKey = await postForm(
      portal,
      `${P}/idp/${r.id}/update`,
      admin,
      {},
      {
        name: 'idpMetadataFile',
        content: idpMetadata(idp).replace(/<md:KeyDescriptor.*?<\/md:KeyDescriptor>/, ''),
      },
    );
    assert.match(noKey.error?.message, /no signing certificate/);
    assert.deepEqual(await get(`${P}/idp`), changed, 'refused updates changed nothing');

    // Not for non-administrators.
    await addUser(portal, 'samlreader');
    const user = await portal.token('samlreader', USER_PASSWORD);
    assert.equal((await portal.call(`${P}/idp`, { token: user }, { method: 'GET' })).error?.code, 403);

    assert.equal(
      (await postForm(portal, `${P}/idp/nope/unregister`, admin, {})).error?.messageCode,
      'saml.login_not_found',
    );
    assert.deepEqual(await postForm(portal, `${P}/idp/${r.id}/unregister`, admin, {}), { success: true });
    assert.deepEqual(await get(`${P}/idp`), {});
    assert.equal((await self()).canSignInIDP, false);
    assert.equal((await self()).idpName, undefined);
  });

  test('entered fields and a metadata file; a federation handed to the federations module', async () => {
    const entered = await postForm(portal, `${P}/idp/register`, admin, {
      name: 'Entered',
      bindingUrl: IDP_SSO,
      certificate: idp.certPem,
    });
    assert.equal(entered.success, true, JSON.stringify(entered));
    const e = await get(`${P}/idp`);
    assert.equal(e.idpEntityId, null);
    assert.equal(e.bindingUrl, IDP_SSO);
    await postForm(portal, `${P}/idp/${entered.id}/unregister`, admin, {});
    const file = await postForm(
      portal,
      `${P}/idp/register`,
      admin,
      { name: 'From a file' },
      {
        name: 'idpMetadataFile',
        content: idpMetadata(idp),
        filename: 'idp.xml',
      },
    );
    assert.equal(file.success, true);
    assert.equal((await get(`${P}/idp`)).idpMetadataFile, 'idp.xml');
    await postForm(portal, `${P}/idp/${file.id}/unregister`, admin, {});

    const badCert = await postForm(portal, `${P}/idp/federation/register`, admin, {
      name: 'Test Federation',
      metadataServiceUrl: new URL('aggregate.xml', server.url).toString(),
      certificate: 'MIIBogus',
    });
    assert.equal(badCert.error?.messageCode, 'saml.certificate_invalid');
    assert.deepEqual(await get(`${P}/idp/federation`), {});
    const fed = await postForm(portal, `${P}/idp/federation/register`, admin, {
      name: 'Test Federation',
      metadataServiceUrl: new URL('aggregate.xml', server.url).toString(),
      discoveryServiceUrl: 'https://wayf.example.org/WAYF',
      certificate: idp.certPem,
      userType: 'creatorUT',
      signUpMode: 'Automatic',
    });
    assert.equal(fed.success, true, JSON.stringify(fed));
    const f = await get(`${P}/idp/federation`);
    assert.equal(f.id, fed.id);
    assert.equal(f.discoveryServiceUrl, 'https://wayf.example.org/WAYF');
    assert.equal(f.userType, 'creatorUT');
    assert.ok(f.federationId, 'the federations module has the source');
    const source = await portal.modules.federations.get(f.federationId);
    assert.equal(source.metadataUrl, new URL('aggregate.xml', server.url).toString());
    assert.deepEqual(await get(`${P}/idp`), {});
    const idpNow = await postForm(portal, `${P}/idp/register`, admin, {
      name: 'X',
      bindingUrl: IDP_SSO,
      certificate: idp.certPem,
    });
    assert.equal(idpNow.error?.messageCode, 'saml.login_exists');
    assert.match(idpNow.error.message, /cannot also have an identity provider/);
    const up = await postForm(portal, `${P}/idp/federation/${fed.id}/update`, admin, {
      name: 'Renamed Federation',
    });
    assert.equal(up.success, true);
    assert.equal((await portal.modules.federations.get(f.federationId)).name, 'Renamed Federation');
    assert.deepEqual(await postForm(portal, `${P}/idp/federation/${fed.id}/unregister`, admin, {}), {
      success: true,
    });
    assert.deepEqual(await get(`${P}/idp/federation`), {});
    await assert.rejects(portal.modules.federations.get(f.federationId), 'the source went with the login');
  });

  test('SP metadata: entity ID, endpoints, certificates; a key rollover publishes two; signed on request', async () => {
    const md = async (q = '') => (await portal.fetch(`${P}/sp/metadata?token=${admin}${q}`)).text();
    const base = portal.kernel.baseUrl();
    const xml = await md();
    const root = parseXml(xml.replace(/^<\?xml[^>]*\?>\s*/, ''), 'SP metadata');
    assert.equal(root.getAttribute('entityID'), new URL(base).hostname);
    for (const expected of [
      `<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${base}/sharing/rest/oauth2/saml/signin" index="0" isDefault="true"/>`,
      `Location="${base}/sharing/rest/oauth2/saml/signin2" index="1"`,
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${base}/sharing/rest/oauth2/saml/signout"/>`,
      `<md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"`,
      '<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>',
      `<idpdisc:DiscoveryResponse xmlns:idpdisc="urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol" Binding="urn:oasis:names:tc:SAML:profiles:SSO:idp-discovery-protocol" Location="${base}/sharing/rest/oauth2/saml/authorize"`,
    ])
      assert.ok(xml.includes(expected), expected);
    const certs = (x: string, use: string) =>
      [...x.matchAll(new RegExp(`<md:KeyDescriptor use="${use}">.*?<ds:X509Certificate>([^<]+)<`, 'g'))].map(
        (m) => m[1],
      );
    assert.equal(certs(xml, 'signing').length, 1);
    assert.deepEqual(certs(xml, 'encryption'), certs(xml, 'signing'));
    assert.equal((await portal.call(`${P}/sp/metadata`, { token: '' }, { method: 'GET' })).error?.code, 499);

    const added = await portal.call(`${P}/sp/keys/add`, { token: admin });
    assert.deepEqual(
      added.keys.map((k: { state: string }) => k.state),
      ['active', 'next'],
    );
    assert.match(added.rollover, /retire/);
    assert.equal(
      (await portal.call(`${P}/sp/keys/add`, { token: admin })).error?.messageCode,
      'saml.sp_rollover_state',
    );
    const during = await md();
    assert.equal(certs(during, 'signing').length, 2, 'both keys published during the rollover');
    assert.equal(certs(during, 'encryption').length, 2);
    const retired = await portal.call(`${P}/sp/keys/retire`, { token: admin });
    assert.deepEqual(
      retired.keys.map((k: { alias: string; state: string }) => [k.alias, k.state]),
      [[added.keys[1].alias, 'active']],
    );
    const afterRollover = await md();
    assert.deepEqual(certs(afterRollover, 'signing'), [certs(during, 'signing')[1]]);
    assert.equal(
      (await portal.call(`${P}/sp/keys/retire`, { token: admin })).error?.messageCode,
      'saml.sp_rollover_state',
    );

    const signed = await md('&signed=true');
    const cert = `-----BEGIN CERTIFICATE-----\n${certs(signed, 'signing')[0]}\n-----END CERTIFICATE-----\n`;
    const sig = /<ds:Signature[\s\S]*<\/ds:Signature>/.exec(signed)![0];
    const v = new SignedXml({ publicCert: cert });
    v.loadSignature(sig);
    assert.ok(v.checkSignature(signed), 'the metadata signature verifies with the active key');
  });
});
