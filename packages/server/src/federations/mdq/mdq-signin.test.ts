/**
 * A federation login known through MDQ only, over HTTP: registered with mdqUrl (shown by the
 * login and by portaladmin/federations); a sign-in with idp=<entityID> finds the identity
 * provider through the MDQ service (a test CA the portal's guarded client trusts), goes to its
 * SSO endpoint, and the ACS verifies the response with the keys of that signed
 * EntityDescriptor, from the cache (no second query); an unknown entity is refused.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { authorize } from '../../oauth/flow/test-oauth.ts';
import { type RunningServer, startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import { IDP_SSO, idpMetadata, postForm, postToAcs, readRedirect } from '../../saml/signin/test-saml.ts';
import { base64, buildResponse, createTestIdp, type TestIdp } from '../../saml/validate/test-idp.ts';
import { makeSigningKey, signMetadata } from '../test-aggregate.ts';
import { mdqQueryUrl } from './mdq.ts';

describe('a federation login through MDQ', () => {
  let portal: TestPortal;
  let admin: string;
  let idp: TestIdp;
  let server: RunningServer;
  let callback: string;
  const requests: string[] = [];
  const answers = new Map<string, string>();

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    callback = `${portal.kernel.baseUrl()}/home/oauth-callback`;
    idp = await createTestIdp('https://idp.example.org/idp/shibboleth');
    const fedKey = await makeSigningKey();
    const ca = await createRootCa('MDQ Test CA');
    const leaf = await generateCertificate(leafOptions({ issuer: ca }));
    await portal.modules.pki.trust.import('mdq-test-ca', ca.certPem);
    server = await startHttpsServer(
      { key: leaf.keyPem, cert: leaf.certPem + ca.certPem },
      (req, res: ServerResponse) => {
        const path = new URL(req.url ?? '/', 'https://x').pathname;
        requests.push(path);
        const body = answers.get(path);
        if (body === undefined) return void res.writeHead(404).end('unknown entity');
        res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(body);
      },
    );
    const validUntil = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const md = idpMetadata(idp).replace(
      ' entityID=',
      ` validUntil="${validUntil}" cacheDuration="PT1H" entityID=`,
    );
    answers.set(new URL(mdqQueryUrl(`${server.url}mdq`, idp.entityId)).pathname, signMetadata(md, fedKey));
    const r = await postForm(portal, '/sharing/rest/portals/self/idp/federation/register', admin, {
      name: 'MDQ Federation',
      mdqUrl: `${server.url}mdq`,
      certificate: fedKey.certPem,
      signUpMode: 'Automatic',
    });
    assert.equal(r.success, true, JSON.stringify(r));
  });
  after(async () => {
    await server?.close();
    await portal?.close();
  });

  test('registered with mdqUrl only; shown by the login and by portaladmin/federations', async () => {
    const login = await portal.call(
      '/sharing/rest/portals/self/idp/federation',
      { token: admin },
      { method: 'GET' },
    );
    assert.equal(login.mdqUrl, `${server.url}mdq`);
    assert.equal(login.metadataServiceUrl, '');
    const f = await portal.call(
      `/portaladmin/federations/${login.federationId}`,
      { token: admin },
      { method: 'GET' },
    );
    assert.equal(f.mdqUrl, `${server.url}mdq`);
    assert.equal(f.metadataUrl, '');
    assert.equal(f.lastAttempt, null, 'no aggregate, nothing loaded');
    const none = await postForm(
      portal,
      `/sharing/rest/portals/self/idp/federation/${login.id}/update`,
      admin,
      { mdqUrl: '' },
    );
    assert.equal(none.error?.messageCode, 'saml.login_invalid', JSON.stringify(none));
    assert.match(none.error.message, /mdqUrl/);
  });

  test('sign-in with idp=<entityID>: found through MDQ, then the ACS uses the cached entry', async () => {
    const page = await authorize(portal, {
      client_id: 'arcgisonline',
      response_type: 'token',
      redirect_uri: callback,
      state: 'mdq',
    });
    assert.equal(page.status, 200, page.body);
    const res = await portal.fetch(
      `/sharing/rest/oauth2/saml/authorize?oauth_state=${page.oauthState}&idp=${encodeURIComponent(idp.entityId)}`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 302, await res.text());
    const sent = readRedirect(res.headers.get('location')!);
    assert.equal(sent.destination, IDP_SSO);
    assert.equal(requests.length, 1);

    const md = await (await portal.fetch(`/sharing/rest/portals/self/sp/metadata?token=${admin}`)).text();
    const spEntityId = /entityID="([^"]+)"/.exec(md)![1]!;
    const acs = /<md:AssertionConsumerService [^>]*Location="([^"]+)"/.exec(md)![1]!;
    const done = await postToAcs(
      portal,
      base64(
        buildResponse({
          idp,
          now: Date.now(),
          inResponseTo: sent.id,
          destination: acs,
          recipient: acs,
          audience: spEntityId,
          nameId: 'mdq.user@example.org',
          attributes: { mail: ['mdq.user@example.org'] },
        }),
      ),
      sent.relayState!,
    );
    assert.equal(done.status, 302, done.body);
    assert.match(new URL(done.location!).hash, /access_token=/);
    assert.equal(requests.length, 1, 'the ACS found the issuer in the cache');
  });

  test('an entity the MDQ service does not know is refused (and not asked again at once)', async () => {
    const page = await authorize(portal, {
      client_id: 'arcgisonline',
      response_type: 'token',
      redirect_uri: callback,
      state: 'x',
    });
    const before = requests.length;
    for (let i = 0; i < 2; i++) {
      const res = await portal.fetch(
        `/sharing/rest/oauth2/saml/authorize?oauth_state=${page.oauthState}&idp=${encodeURIComponent('https://nobody.example.org/idp')}`,
        { redirect: 'manual' },
      );
      assert.equal(res.status, 400);
      assert.match(await res.text(), /saml\.idp_unknown/);
    }
    assert.equal(requests.length, before + 1);
  });
});
