/**
 * SAML logout and IdP-initiated sign-in over HTTPS with the test IdP, two nodes on one
 * PostgreSQL database: a SAML web sign-in remembers its NameID and SessionIndex; oauth2/signout
 * sends a signed LogoutRequest to the IdP and the IdP's LogoutResponse ends on the signed-out
 * page (once); an IdP LogoutRequest posted to node B ends the sessions of that NameID on both
 * nodes (not another person's) and is answered; forged, unsigned and DOCTYPE messages are
 * refused with their codes; IdP-initiated sign-in is refused until the login allows it, then
 * lands on /home/ with a session, and its replay is refused; new accounts join the login's
 * groups; failed sign-ins are listed for administrators without NameIDs or message content.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { authorize, exchangeForSession, pkcePair, webCallback } from '../../oauth/flow/test-oauth.ts';
import { idpMetadata, postForm, postToAcs, readRedirect } from '../signin/test-saml.ts';
import {
  base64,
  buildLogoutMessage,
  buildResponse,
  createTestIdp,
  keyPair,
  redirectQuery,
  signElement,
  type TestIdp,
} from '../validate/test-idp.ts';

const SLO = 'https://idp.example.org/idp/profile/SAML2/Redirect/SLO';

describe('SAML logout and IdP-initiated sign-in, two nodes', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  let idp: TestIdp;
  let admin: string;
  let loginId: string;
  let groupId: string;
  let spCert: string;
  let spEntityId: string;

  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
    admin = await a.token();
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    const g = await a.call('/sharing/rest/community/createGroup', {
      token: admin,
      title: 'SAML people',
      access: 'org',
    });
    groupId = g.group.id;
    const r = await postForm(
      a,
      '/sharing/rest/portals/self/idp/register',
      admin,
      {
        name: 'Logout University',
        supportSignedRequest: 'true',
        supportsLogoutRequest: 'true',
        logoutUrl: SLO,
        groups: JSON.stringify([groupId, 'f00dbabe0000000000000000deadbeef']),
      },
      { name: 'idpMetadataFile', content: idpMetadata(idp) },
    );
    assert.equal(r.success, true, JSON.stringify(r));
    loginId = r.id;
    const md = await (await a.fetch(`/sharing/rest/portals/self/sp/metadata?token=${admin}`)).text();
    spCert = `-----BEGIN CERTIFICATE-----\n${/<md:KeyDescriptor use="signing">.*?<ds:X509Certificate>([^<]+)</.exec(md)![1]}\n-----END CERTIFICATE-----\n`;
    spEntityId = /entityID="([^"]+)"/.exec(md)![1]!;
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  const acsOf = (p: TestPortal) => `${p.kernel.baseUrl()}/sharing/rest/oauth2/saml/signin`;
  const signoutOf = (p: TestPortal) => `${p.kernel.baseUrl()}/sharing/rest/oauth2/saml/signout`;
  const respond = (p: TestPortal, inResponseTo: string | null, nameId: string) =>
    base64(
      buildResponse({
        idp,
        now: Date.now(),
        inResponseTo,
        destination: acsOf(p),
        recipient: acsOf(p),
        audience: spEntityId,
        nameId,
        attributes: { mail: [nameId], givenName: ['Ann'] },
      }),
    );
  const whoAmI = async (p: TestPortal, cookie: string) =>
    (await p.call('/sharing/rest/web/session', {}, { method: 'GET', headers: { cookie } })).username as
      | string
      | undefined;

  /** The web UI's SAML sign-in on a node: authorize (PKCE) → saml/authorize → ACS → oauth2/session. */
  async function samlWebSignIn(p: TestPortal, nameId: string) {
    const { verifier, challenge } = pkcePair();
    const page = await authorize(p, {
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: webCallback(p),
      state: 'w',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const res = await p.fetch(`/sharing/rest/oauth2/saml/authorize?oauth_state=${page.oauthState}`, {
      redirect: 'manual',
    });
    const sent = readRedirect(res.headers.get('location')!, spCert);
    const done = await postToAcs(p, respond(p, sent.id, nameId), sent.relayState!);
    assert.equal(done.status, 302, done.body);
    const code = new URL(done.location!).searchParams.get('code')!;
    const s = await exchangeForSession(p, { code, code_verifier: verifier, redirect_uri: webCallback(p) });
    assert.ok(s.cookie, JSON.stringify(s.body));
    return { cookie: s.cookie, username: s.body.username as string };
  }

  const signout = (p: TestPortal, q: string, method: 'GET' | 'POST' = 'GET', body?: string) =>
    p.fetch(`/sharing/rest/oauth2/saml/signout${method === 'GET' ? `?${q}` : ''}`, {
      method,
      redirect: 'manual',
      ...(body
        ? {
            body,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
          }
        : {}),
    });

  test('SP-initiated: oauth2/signout sends a signed LogoutRequest; the LogoutResponse ends on the signed-out page, once; groups joined', async () => {
    const { cookie, username } = await samlWebSignIn(a, 'ann@example.org');
    assert.equal(await whoAmI(b, cookie), username);
    const members = await a.call(
      `/sharing/rest/community/groups/${groupId}/users`,
      { token: admin },
      { method: 'GET' },
    );
    assert.ok(
      members.users.includes(username),
      `a new account joins the login's groups: ${JSON.stringify(members)}`,
    );
    const out = await a.fetch('/sharing/rest/oauth2/signout', {
      redirect: 'manual',
      headers: { cookie, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(out.status, 303);
    const sent = readRedirect(out.headers.get('location')!.replace('SAMLRequest', 'SAMLRequest'), spCert);
    assert.ok(out.headers.get('location')!.startsWith(`${SLO}?SAMLRequest=`));
    assert.ok(sent.signed, 'RSA-SHA256 query signature');
    assert.equal(sent.relayState, sent.id, 'RelayState is an id');
    assert.match(sent.xml, /<saml:NameID[^>]*>ann@example.org<\/saml:NameID>/);
    assert.match(sent.xml, /<samlp:SessionIndex>_session_1<\/samlp:SessionIndex>/);
    assert.equal(await whoAmI(b, cookie), undefined, 'the portal session ended on every node');
    const answer = buildLogoutMessage({
      kind: 'response',
      idp,
      now: Date.now(),
      destination: signoutOf(b),
      inResponseTo: sent.id,
    });
    const q = redirectQuery(answer, 'SAMLResponse', { key: idp, relayState: sent.id });
    const done = await signout(b, q);
    const html = await done.text();
    assert.equal(done.status, 200, html);
    assert.match(html, /signed out/i);
    const again = await signout(b, q);
    assert.equal(again.status, 403);
    assert.match(await again.text(), /saml\.logout_in_response_to_unknown/);
  });

  test('IdP-initiated logout ends that NameID’s sessions on both nodes, not another person’s; answered signed; replay refused', async () => {
    const onA = await samlWebSignIn(a, 'bea@example.org');
    const onB = await samlWebSignIn(b, 'bea@example.org');
    const other = await samlWebSignIn(a, 'cid@example.org');
    const xml = buildLogoutMessage({
      kind: 'request',
      idp,
      now: Date.now(),
      destination: signoutOf(b),
      nameId: 'bea@example.org',
    });
    const body = new URLSearchParams({
      SAMLRequest: base64(signElement(xml, 'LogoutRequest', { idp })),
      RelayState: 'idp-state',
    });
    const res = await signout(b, '', 'POST', body.toString());
    assert.equal(res.status, 302, await res.text());
    const back = new URL(res.headers.get('location')!);
    assert.equal(`${back.origin}${back.pathname}`, SLO);
    assert.equal(back.searchParams.get('RelayState'), 'idp-state');
    assert.ok(back.searchParams.get('Signature'), 'the LogoutResponse is signed');
    assert.equal(await whoAmI(a, onA.cookie), undefined);
    assert.equal(await whoAmI(a, onB.cookie), undefined);
    assert.equal(await whoAmI(b, other.cookie), other.username, 'another person stays signed in');
    const replay = await signout(b, '', 'POST', body.toString());
    assert.equal(replay.status, 403);
    assert.match(await replay.text(), /saml\.logout_replayed/);
  });

  test('forged, unsigned and DOCTYPE logout messages are refused with their codes', async () => {
    const { cookie, username } = await samlWebSignIn(a, 'dee@example.org');
    const attacker = await keyPair('attacker.example.org');
    const req = () =>
      buildLogoutMessage({
        kind: 'request',
        idp,
        now: Date.now(),
        destination: signoutOf(a),
        nameId: 'dee@example.org',
      });
    const forged = await signout(a, redirectQuery(req(), 'SAMLRequest', { key: attacker }));
    assert.equal(forged.status, 403);
    assert.match(await forged.text(), /saml\.logout_signature_invalid/);
    const forgedPost = await signout(
      a,
      '',
      'POST',
      new URLSearchParams({
        SAMLRequest: base64(signElement(req(), 'LogoutRequest', { idp, signWith: attacker })),
      }).toString(),
    );
    assert.match(await forgedPost.text(), /saml\.logout_signature_invalid/);
    const unsigned = await signout(a, redirectQuery(req(), 'SAMLRequest', { key: false }));
    assert.equal(unsigned.status, 403);
    assert.match(await unsigned.text(), /saml\.logout_unsigned/);
    const doctype = await signout(
      a,
      redirectQuery(`<!DOCTYPE x [<!ENTITY e "e">]>${req()}`, 'SAMLRequest', { key: idp }),
    );
    assert.match(await doctype.text(), /saml\.logout_doctype_refused/);
    const unsolicitedResponse = await signout(
      a,
      redirectQuery(
        buildLogoutMessage({
          kind: 'response',
          idp,
          now: Date.now(),
          destination: signoutOf(a),
          inResponseTo: '_never',
        }),
        'SAMLResponse',
        { key: idp },
      ),
    );
    assert.match(await unsolicitedResponse.text(), /saml\.logout_in_response_to_unknown/);
    assert.equal(await whoAmI(a, cookie), username, 'nothing was ended');
  });

  test('IdP-initiated sign-in: refused by default; allowed per login, lands on /home/ with a session; its replay refused; failures listed without secrets', async () => {
    const refused = await postToAcs(a, respond(a, null, 'eve@example.org'));
    assert.equal(refused.location, null);
    assert.match(refused.body, /saml\.in_response_to_missing/);
    const u = await postForm(a, `/sharing/rest/portals/self/idp/${loginId}/update`, admin, {
      allowIdpInitiated: 'true',
    });
    assert.equal(u.success, true, JSON.stringify(u));
    const idpJson = await a.call('/sharing/rest/portals/self/idp', { token: admin }, { method: 'GET' });
    assert.equal(idpJson.allowIdpInitiated, true);
    const response = respond(b, null, 'eve@example.org');
    const done = await postToAcs(b, response, 'https://evil.example.org/');
    assert.equal(done.status, 302, done.body);
    assert.equal(done.location, '/home/');
    const cookie = /meridian_session=([^;]+)/.exec(done.headers.get('set-cookie') ?? '')?.[1];
    assert.ok(cookie);
    assert.ok(await whoAmI(a, `meridian_session=${cookie}`), 'the session works on every node');
    const replay = await postToAcs(b, response);
    assert.equal(replay.location, null);
    assert.match(replay.body, /saml\.replayed/);
    const list = await a.call(
      '/portaladmin/security/saml/signInFailures',
      { token: admin, num: 50 },
      { method: 'GET' },
    );
    const codes = list.failures.map((f: { code: string }) => f.code);
    assert.ok(codes.includes('saml.in_response_to_missing'), JSON.stringify(list));
    assert.ok(codes.includes('saml.replayed'));
    const missing = list.failures.find((f: { code: string }) => f.code === 'saml.in_response_to_missing');
    assert.equal(missing.idp, idp.entityId);
    assert.equal(missing.step, 'check_in_response_to');
    assert.ok(missing.time > Date.now() - 600_000);
    assert.equal(list.keepDays, 14);
    const text = JSON.stringify(list);
    assert.doesNotMatch(text, /eve@example\.org|ann@example|PHNhbWxw/, 'no NameID, no message content');
    await postForm(a, `/sharing/rest/portals/self/idp/${loginId}/update`, admin, {
      allowIdpInitiated: 'false',
    });
  });
});
