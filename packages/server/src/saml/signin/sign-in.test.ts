/**
 * SAML sign-in through OAuth over real HTTPS with the test IdP: oauth2/authorize → the sign-in
 * page's SAML button → oauth2/saml/authorize (the AuthnRequest: ID recorded, Destination,
 * RelayState, RSA-SHA256 query signature) → the ACS with a signed, then an encrypted, response
 * → the app's redirect URI with a code → a token. Refusals are the portal's HTML page with the
 * error code and no redirect; IdP-initiated sign-in is refused by default.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { authorize, pkcePair, token } from '../../oauth/flow/test-oauth.ts';
import { base64, buildResponse, createTestIdp, keyPair, type TestIdp } from '../validate/test-idp.ts';
import { IDP_SSO, IDP_SSO_POST, idpMetadata, postForm, postToAcs, readRedirect } from './test-saml.ts';

describe('SAML sign-in through OAuth', () => {
  let portal: TestPortal;
  let admin: string;
  let idp: TestIdp;
  let spCert: string;
  let spEntityId: string;
  let acs: string;
  let callback: string;

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    const r = await postForm(
      portal,
      '/sharing/rest/portals/self/idp/register',
      admin,
      {
        name: 'Example University',
        signUpMode: 'Automatic',
        supportSignedRequest: 'true',
        encryptionSupported: 'true',
      },
      { name: 'idpMetadataFile', content: idpMetadata(idp) },
    );
    assert.equal(r.success, true, JSON.stringify(r));
    const md = await (await portal.fetch(`/sharing/rest/portals/self/sp/metadata?token=${admin}`)).text();
    spCert = `-----BEGIN CERTIFICATE-----\n${/<md:KeyDescriptor use="signing">.*?<ds:X509Certificate>([^<]+)</.exec(md)![1]}\n-----END CERTIFICATE-----\n`;
    spEntityId = /entityID="([^"]+)"/.exec(md)![1]!;
    acs = /<md:AssertionConsumerService [^>]*Location="([^"]+)"/.exec(md)![1]!;
    callback = `${portal.kernel.baseUrl()}/home/oauth-callback`;
  });
  after(() => portal.close());

  /** authorize (the portal's client, PKCE) → the sign-in page's SAML link → the IdP redirect. */
  async function begin(state = 'web') {
    const { verifier, challenge } = pkcePair();
    const page = await authorize(portal, {
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: callback,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.equal(page.status, 200, page.body);
    const link = /id="saml-sign-in" href="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(link, 'the sign-in page offers the SAML login');
    assert.match(page.body, /Using your Example University account/);
    const res = await portal.fetch(link.replace(/&amp;/g, '&'), { redirect: 'manual' });
    assert.equal(res.status, 302, await res.text());
    const sent = readRedirect(res.headers.get('location')!, spCert);
    return { sent, verifier, oauthState: page.oauthState! };
  }

  const respond = (
    inResponseTo: string | null,
    more: Parameters<typeof buildResponse>[0] extends infer O ? Partial<O> : never = {},
  ) =>
    base64(
      buildResponse({
        idp,
        now: Date.now(),
        inResponseTo,
        destination: acs,
        recipient: acs,
        audience: spEntityId,
        nameId: 'alice.saml@example.org',
        attributes: { mail: ['alice@example.org'], givenName: ['Alice'], sn: ['Liddell'] },
        ...more,
      }),
    );

  test('signed response: the AuthnRequest is signed and recorded, the ACS redirects with a code that gives a token', async () => {
    const { sent, verifier, oauthState } = await begin('one');
    assert.ok(sent.signed, 'RSA-SHA256 query signature');
    assert.equal(sent.destination, IDP_SSO);
    assert.equal(sent.relayState, oauthState, 'RelayState is the OAuth transaction id');
    assert.match(sent.xml, new RegExp(`AssertionConsumerServiceURL="${acs}"`));
    assert.match(sent.xml, new RegExp(`<saml:Issuer>${spEntityId}</saml:Issuer>`));
    const done = await postToAcs(portal, respond(sent.id), sent.relayState!);
    assert.equal(done.status, 302, done.body);
    const back = new URL(done.location!);
    assert.equal(`${back.origin}${back.pathname}`, callback);
    assert.equal(back.searchParams.get('state'), 'one');
    const answer = await token(portal, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: back.searchParams.get('code')!,
      redirect_uri: callback,
      code_verifier: verifier,
    });
    assert.ok(answer.access_token, JSON.stringify(answer));
    const self = await portal.call(
      '/sharing/rest/community/self',
      { token: answer.access_token },
      { method: 'GET' },
    );
    assert.equal(self.email, 'alice@example.org');
    assert.equal(self.provider, 'enterprise');
    // The same response again: its request was answered.
    const again = await postToAcs(portal, respond(sent.id), sent.relayState!);
    assert.equal(again.status, 403);
    assert.equal(again.location, null);
  });

  test('encrypted assertion (AES-256-GCM, RSA-OAEP) with the SP key from the metadata; signin2 accepted', async () => {
    const { sent } = await begin('two');
    const enc = respond(sent.id, {
      encrypt: { certPem: spCert, content: 'aes256-gcm', transport: 'mgf1p-sha1' },
    });
    const done = await postToAcs(portal, enc, sent.relayState!, '/sharing/rest/oauth2/saml/signin2');
    assert.equal(done.status, 302, done.body);
    assert.ok(new URL(done.location!).searchParams.get('code'));
  });

  test('refusals are the HTML error page with the code, no redirect, nothing issued', async () => {
    const attacker = await keyPair('attacker.example.org');
    const { sent } = await begin('three');
    const forged = await postToAcs(portal, respond(sent.id, { signWith: attacker }), sent.relayState!);
    assert.equal(forged.status, 403);
    assert.equal(forged.location, null);
    assert.match(forged.headers.get('content-type')!, /text\/html/);
    assert.match(forged.body, /saml\.signature_key_untrusted/);
    const { sent: next } = await begin('three-b');
    const xml = Buffer.from(respond(next.id), 'base64').toString().replace('alice.saml@', 'mallory@');
    const altered = await postToAcs(portal, base64(xml), next.relayState!);
    assert.equal(altered.status, 403);
    assert.equal(altered.location, null);
    assert.match(altered.body, /Error code: <code>saml\.signature_invalid<\/code>/);
    const unsolicited = await postToAcs(portal, respond(null));
    assert.ok(unsolicited.status >= 400 && unsolicited.status < 500);
    assert.equal(unsolicited.location, null);
    assert.match(
      unsolicited.body,
      /saml\.in_response_to_missing/,
      'IdP-initiated sign-in is refused by default',
    );
    const { sent: other } = await begin('four');
    const wrongRelay = await postToAcs(portal, respond(other.id), 'not-the-transaction');
    assert.equal(wrongRelay.status, 400);
    assert.match(wrongRelay.body, /saml\.relay_state_mismatch/);
  });

  test('saml/authorize without the page: client_id… begins the authorization itself; POST answers an auto-posting form', async () => {
    const { challenge } = pkcePair();
    const q = new URLSearchParams({
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: callback,
      state: 'direct',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await portal.fetch(`/sharing/rest/oauth2/saml/authorize?${q}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const sent = readRedirect(res.headers.get('location')!, spCert);
    assert.ok(sent.relayState && sent.relayState.length > 10);
    const post = await portal.fetch('/sharing/rest/oauth2/saml/authorize', {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q.toString(),
    });
    const html = await post.text();
    assert.equal(post.status, 200, html);
    assert.match(html, new RegExp(`action="${IDP_SSO_POST}"`));
    assert.match(html, /name="SAMLRequest" value="[A-Za-z0-9+/=]+"/);
    const csp = post.headers.get('content-security-policy')!;
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    const xml = Buffer.from(/name="SAMLRequest" value="([^"]+)"/.exec(html)![1]!, 'base64').toString();
    assert.match(xml, /<ds:Signature/, 'signed inside for the POST binding');
    // An unregistered redirect URI stops on the portal's page, never at the IdP.
    const bad = await portal.fetch(
      `/sharing/rest/oauth2/saml/authorize?client_id=arcgisonline&response_type=code&redirect_uri=${encodeURIComponent('https://evil.example.org/cb')}`,
      { redirect: 'manual' },
    );
    assert.equal(bad.headers.get('location'), null);
    assert.match(await bad.text(), /oauth\.redirect_uri_unregistered/);
  });
});
