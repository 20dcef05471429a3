/**
 * A SAML sign-in begun on node A finishes on node B (one PostgreSQL database): the login, the
 * SP keys, the AuthnRequest and the OAuth authorization are all in the database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPgDatabase } from '../../../test/pg-databases.ts';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { authorize, pkcePair, token } from '../../oauth/flow/test-oauth.ts';
import { base64, buildResponse, createTestIdp, type TestIdp } from '../validate/test-idp.ts';
import { idpMetadata, postForm, postToAcs, readRedirect } from './test-saml.ts';

describe('SAML sign-in across two nodes on one PostgreSQL database', () => {
  let pg: Awaited<ReturnType<typeof createPgDatabase>>;
  let a: TestPortal;
  let b: TestPortal;
  let idp: TestIdp;
  before(async () => {
    pg = await createPgDatabase();
    a = await startTestPortal({ databaseUrl: pg.url });
    b = await startTestPortal({ databaseUrl: pg.url, secretsKeyFrom: a.home });
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    const r = await postForm(
      a,
      '/sharing/rest/portals/self/idp/register',
      await a.token(),
      { name: 'Two Nodes University', supportSignedRequest: 'true' },
      { name: 'idpMetadataFile', content: idpMetadata(idp) },
    );
    assert.equal(r.success, true, JSON.stringify(r));
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await pg?.drop();
  });

  test('authorize and saml/authorize on A, the ACS on B, the code exchanged on A', async () => {
    const md = await (
      await b.fetch(`/sharing/rest/portals/self/sp/metadata?token=${await b.token()}`)
    ).text();
    const spCert = `-----BEGIN CERTIFICATE-----\n${/<ds:X509Certificate>([^<]+)</.exec(md)![1]}\n-----END CERTIFICATE-----\n`;
    const spEntityId = /entityID="([^"]+)"/.exec(md)![1]!;
    const callback = `${a.kernel.baseUrl()}/home/oauth-callback`;
    const { verifier, challenge } = pkcePair();
    const page = await authorize(a, {
      client_id: 'arcgisonline',
      response_type: 'code',
      redirect_uri: callback,
      state: 'nodes',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.match(
      page.body,
      /Using your Two Nodes University account/,
      'node A offers the login registered on A',
    );
    const res = await a.fetch(`/sharing/rest/oauth2/saml/authorize?oauth_state=${page.oauthState}`, {
      redirect: 'manual',
    });
    assert.equal(res.status, 302);
    const sent = readRedirect(res.headers.get('location')!, spCert);
    assert.ok(sent.signed, 'A signed with the SP key B publishes: one key for every node');
    // The IdP posts to node B (behind a load balancer both have one address; here B's own).
    const acsB = `${b.kernel.baseUrl()}/sharing/rest/oauth2/saml/signin`;
    const response = base64(
      buildResponse({
        idp,
        now: Date.now(),
        inResponseTo: sent.id,
        destination: acsB,
        recipient: acsB,
        audience: spEntityId,
        nameId: 'bob.nodes@example.org',
      }),
    );
    const done = await postToAcs(b, response, sent.relayState!);
    assert.equal(done.status, 302, done.body);
    const back = new URL(done.location!);
    assert.equal(back.searchParams.get('state'), 'nodes');
    const answer = await token(a, {
      grant_type: 'authorization_code',
      client_id: 'arcgisonline',
      code: back.searchParams.get('code')!,
      redirect_uri: callback,
      code_verifier: verifier,
    });
    assert.ok(answer.access_token, JSON.stringify(answer));
    // The same response again: its assertion was used once.
    const replay = await postToAcs(b, response, sent.relayState!);
    assert.equal(replay.location, null);
    assert.match(replay.body, /saml\.replayed/);
  });
});
