/**
 * Logout of a federation login (no logoutUrl): the LogoutRequest goes to the single logout
 * endpoint of the IdP that signed the person in, as the federation metadata names it: by the
 * Redirect binding (query-signed) when the IdP has one, else by an auto-posting HTTP-POST form
 * (strict CSP, the script allowed by its hash, a Continue button) carrying the LogoutRequest
 * signed inside the XML; each IdP's LogoutResponse ends on the signed-out page. An IdP-initiated
 * LogoutRequest of a POST-only IdP is answered by a form posted to its own endpoint.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignedXml } from 'xml-crypto';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import {
  aggregateXml,
  entityCertificates,
  makeSigningKey,
  signMetadata,
} from '../../federations/test-aggregate.ts';
import { authorize, exchangeForSession, pkcePair, webCallback } from '../../oauth/flow/test-oauth.ts';
import { idpMetadata, postForm, postToAcs, readRedirect } from '../signin/test-saml.ts';
import {
  base64,
  buildLogoutMessage,
  buildResponse,
  createTestIdp,
  redirectQuery,
  signElement,
  type TestIdp,
} from '../validate/test-idp.ts';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';
const A_SLO = 'https://idp-a.example.org/slo/redirect';
const A_SLO_POST = 'https://idp-a.example.org/slo/post';
const B_SLO_POST = 'https://idp-b.example.org/slo/post';

/** The IdP's metadata as a federation entity: its own SingleLogoutService endpoints. */
function entity(idp: TestIdp, slo: [binding: string, location: string][]): string {
  const endpoints = slo.map(([b, l]) => `<md:SingleLogoutService Binding="${b}" Location="${l}"/>`).join('');
  return idpMetadata(idp)
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/<md:SingleLogoutService [^>]*\/>/, endpoints);
}

async function* chunks(text: string): AsyncGenerator<Buffer> {
  yield Buffer.from(text);
}

describe('SAML logout of a federation login', () => {
  let portal: TestPortal;
  let a: TestIdp;
  let b: TestIdp;
  let spCert: string;
  let spEntityId: string;

  before(async () => {
    portal = await startTestPortal();
    const admin = await portal.token();
    a = await createTestIdp('https://idp-a.example.org/idp');
    b = await createTestIdp('https://idp-b.example.org/idp');
    const key = await makeSigningKey();
    const r = await postForm(portal, '/sharing/rest/portals/self/idp/federation/register', admin, {
      name: 'Logout Federation',
      metadataServiceUrl: 'https://127.0.0.1:9/metadata.xml',
      certificate: key.certPem,
      signUpMode: 'Automatic',
      supportsLogoutRequest: 'true',
      supportSignedRequest: 'true',
    });
    assert.equal(r.success, true, JSON.stringify(r));
    const login = await portal.call(
      '/sharing/rest/portals/self/idp/federation',
      { token: admin },
      { method: 'GET' },
    );
    assert.equal(login.logoutUrl, null);
    const federations = portal.modules.federations;
    // The refresh started at registration fails (nothing listens there); wait for it to end.
    for (let i = 0; i < 200; i++) {
      const f = await federations.get(login.federationId);
      if (f.lastAttempt !== null && !f.refreshing) break;
      await sleep(50);
    }
    const xml = signMetadata(
      aggregateXml({
        entities: 3,
        validUntil: new Date(Date.now() + 86_400_000).toISOString(),
        certificates: await entityCertificates(1),
        head: [
          entity(a, [
            [POST, A_SLO_POST],
            [REDIRECT, A_SLO],
          ]),
          entity(b, [[POST, B_SLO_POST]]),
        ].join('\n'),
      }),
      key,
    );
    await federations.ingest(login.federationId, chunks(xml));
    const found = await federations.identityProvider(login.federationId, b.entityId);
    assert.deepEqual(found?.singleLogoutServices, [{ binding: POST, location: B_SLO_POST }]);
    const md = await (await portal.fetch(`/sharing/rest/portals/self/sp/metadata?token=${admin}`)).text();
    spCert = `-----BEGIN CERTIFICATE-----\n${/<md:KeyDescriptor use="signing">.*?<ds:X509Certificate>([^<]+)</.exec(md)![1]}\n-----END CERTIFICATE-----\n`;
    spEntityId = /entityID="([^"]+)"/.exec(md)![1]!;
  });
  after(async () => {
    await portal?.close();
  });

  const acs = () => `${portal.kernel.baseUrl()}/sharing/rest/oauth2/saml/signin`;
  const signoutUrl = () => `${portal.kernel.baseUrl()}/sharing/rest/oauth2/saml/signout`;
  const whoAmI = async (cookie: string) =>
    (await portal.call('/sharing/rest/web/session', {}, { method: 'GET', headers: { cookie } })).username as
      | string
      | undefined;

  /** The web UI's SAML sign-in through one IdP of the federation; its web session cookie. */
  async function signIn(idp: TestIdp, nameId: string): Promise<string> {
    const { verifier, challenge } = pkcePair();
    const page = await authorize(portal, {
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: webCallback(portal),
      state: 'w',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await portal.fetch(
      `/sharing/rest/oauth2/saml/authorize?oauth_state=${page.oauthState}&idp=${encodeURIComponent(idp.entityId)}`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 302, await res.text());
    const sent = readRedirect(res.headers.get('location')!, spCert);
    const response = buildResponse({
      idp,
      now: Date.now(),
      inResponseTo: sent.id,
      destination: acs(),
      recipient: acs(),
      audience: spEntityId,
      nameId,
      attributes: { mail: [nameId] },
    });
    const done = await postToAcs(portal, base64(response), sent.relayState!);
    assert.equal(done.status, 302, done.body);
    const code = new URL(done.location!).searchParams.get('code')!;
    const s = await exchangeForSession(portal, {
      code,
      code_verifier: verifier,
      redirect_uri: webCallback(portal),
    });
    assert.ok(s.cookie, JSON.stringify(s.body));
    return s.cookie;
  }

  const portalSignOut = (cookie: string) =>
    portal.fetch('/sharing/rest/oauth2/signout', {
      redirect: 'manual',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
  const postSignout = (fields: Record<string, string>) =>
    portal.fetch('/sharing/rest/oauth2/saml/signout', {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
    });

  /** The auto-posting form page: its CSP, action and fields. */
  function autoPost(res: Response, html: string) {
    const csp = res.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.match(html, /<button class="primary" type="submit">Continue<\/button>/);
    const fields = Object.fromEntries(
      [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]),
    );
    return { action: /<form method="post" action="([^"]+)"/.exec(html)![1]!, fields };
  }

  test('an IdP with a Redirect endpoint: its own, query-signed; its LogoutResponse ends on the signed-out page', async () => {
    const cookie = await signIn(a, 'ann@a.example.org');
    const out = await portalSignOut(cookie);
    assert.equal(out.status, 303, await out.text());
    const location = out.headers.get('location')!;
    assert.ok(location.startsWith(`${A_SLO}?SAMLRequest=`), location);
    const sent = readRedirect(location, spCert);
    assert.ok(sent.signed);
    assert.equal(sent.destination, A_SLO);
    assert.match(sent.xml, /<saml:NameID[^>]*>ann@a.example.org<\/saml:NameID>/);
    assert.equal(await whoAmI(cookie), undefined);
    const answer = buildLogoutMessage({
      kind: 'response',
      idp: a,
      now: Date.now(),
      destination: signoutUrl(),
      inResponseTo: sent.id,
    });
    const done = await portal.fetch(
      `/sharing/rest/oauth2/saml/signout?${redirectQuery(answer, 'SAMLResponse', { key: a, relayState: sent.id })}`,
      { redirect: 'manual' },
    );
    const html = await done.text();
    assert.equal(done.status, 200, html);
    assert.match(html, /signed out/i);
  });

  test('an IdP with only an HTTP-POST endpoint: an auto-posting form with the LogoutRequest signed inside', async () => {
    const cookie = await signIn(b, 'bea@b.example.org');
    const out = await portalSignOut(cookie);
    const html = await out.text();
    assert.equal(out.status, 200, html);
    assert.equal(await whoAmI(cookie), undefined);
    const form = autoPost(out, html);
    assert.equal(form.action, B_SLO_POST);
    const xml = Buffer.from(form.fields.SAMLRequest!, 'base64').toString('utf8');
    const id = /<samlp:LogoutRequest [^>]*\bID="([^"]+)"/.exec(xml)![1]!;
    assert.equal(form.fields.RelayState, id, 'RelayState is the request ID');
    assert.match(xml, new RegExp(`Destination="${B_SLO_POST}"`));
    assert.match(xml, /<saml:NameID[^>]*>bea@b.example.org<\/saml:NameID>/);
    const v = new SignedXml({ publicCert: spCert });
    v.loadSignature(/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(xml)![0]);
    assert.ok(v.checkSignature(xml), 'signed with the SP key');
    assert.deepEqual(v.getSignedReferences().length, 1);
    const answer = signElement(
      buildLogoutMessage({
        kind: 'response',
        idp: b,
        now: Date.now(),
        destination: signoutUrl(),
        inResponseTo: id,
      }),
      'LogoutResponse',
      { idp: b },
    );
    const done = await postSignout({ SAMLResponse: base64(answer), RelayState: id });
    const page = await done.text();
    assert.equal(done.status, 200, page);
    assert.match(page, /signed out/i);
  });

  test('an IdP-initiated LogoutRequest of a POST-only IdP is answered by a form posted to its own endpoint', async () => {
    const cookie = await signIn(b, 'cid@b.example.org');
    const request = signElement(
      buildLogoutMessage({
        kind: 'request',
        idp: b,
        now: Date.now(),
        destination: signoutUrl(),
        nameId: 'cid@b.example.org',
      }),
      'LogoutRequest',
      { idp: b },
    );
    const res = await postSignout({ SAMLRequest: base64(request), RelayState: 'b-state' });
    const html = await res.text();
    assert.equal(res.status, 200, html);
    assert.equal(await whoAmI(cookie), undefined);
    const form = autoPost(res, html);
    assert.equal(form.action, B_SLO_POST);
    assert.equal(form.fields.RelayState, 'b-state');
    const xml = Buffer.from(form.fields.SAMLResponse!, 'base64').toString('utf8');
    assert.match(xml, /<samlp:LogoutResponse [^>]*Destination="https:\/\/idp-b\.example\.org\/slo\/post"/);
    assert.match(xml, /<ds:Signature/);
  });
});
