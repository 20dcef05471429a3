/**
 * A federation login with real identity providers (issue 10, part 10), in Debian's Chromium:
 * a signed aggregate of 3,000 generated entities (every fourth a service provider) that also
 * holds the EntityDescriptors the pysaml2 and SimpleSAMLphp IdPs publish themselves (e2e/idp/,
 * each on its own HTTPS origin on loopback with a certificate from the test's CA), signed with
 * a federation key made here and served over HTTPS on loopback. The portal trusts the test CA
 * because an administrator imported it (portaladmin importRootOrIntermediate), fetches the
 * aggregate through its guarded client at registration (idp/federation/register, no external
 * discovery service) and indexes it as a job. Then, for each real IdP: the web UI's sign-in →
 * the portal's sign-in page → the federation's SAML choice → the built-in chooser → part of
 * the IdP's display name typed → picked → the IdP's login form → the ACS → signed in as the
 * SAML user. And a real IdP that is not in the aggregate (a third pysaml2, listed only under
 * another entity ID) is refused at the ACS. Certificate checks stay on everywhere.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { Agent, FormData, fetch as undiciFetch } from 'undici';
import {
  aggregateXml,
  entityCertificates,
  makeSigningKey,
  signMetadata,
} from '../packages/server/src/federations/test-aggregate.ts';
import { generateCertificate } from '../packages/server/src/pki/generate-certificate.ts';
import { createRootCa, issueServerCertificate } from '../packages/server/src/pki/local-ca.ts';
import { startTestPortal, type TestPortal } from '../packages/server/test/portal.ts';
import { launchTrustingChromium } from './browser.ts';
import {
  type Pem,
  type RunningPysaml2,
  type RunningSimpleSamlPhp,
  readSpMetadata,
  startPysaml2,
  startSimpleSamlPhp,
} from './idp/servers.ts';

const FEDERATION = 'Interop Federation';
const GENERATED = 3000;
const GENERATED_IDPS = GENERATED - GENERATED / 4;
const PY_NAME = 'Grace Hopper Institute (pysaml2)';
const SSP_NAME = 'Ada Lovelace College (SimpleSAMLphp)';
const ROGUE_NAME = 'Rogue Polytechnic (pysaml2)';

/** The EntityDescriptor of an IdP's own metadata document (its XML declaration dropped). */
function entityDescriptorOf(xml: string): string {
  const body = xml.replace(/^\s*<\?xml[^>]*\?>\s*/, '');
  assert.match(body, /^<([\w-]+:)?EntityDescriptor[\s>]/, body.slice(0, 200));
  return body;
}

describe('a federation login over a signed aggregate holding pysaml2 and SimpleSAMLphp among 3,000 entities, in Chromium', () => {
  let portal: TestPortal;
  let admin: string;
  let ca: Pem;
  let chromium: Awaited<ReturnType<typeof launchTrustingChromium>>;
  let dispatcher: Agent;
  let aggregateServer: Server;
  let py: RunningPysaml2;
  let ssp: RunningSimpleSamlPhp;
  let rogue: RunningPysaml2;
  let rogueListedAs: string;
  let aggregateFetches = 0;

  const P = '/sharing/rest/portals/self';
  const tlsFor = () => issueServerCertificate(ca, ['127.0.0.1'], 1);
  const signingPair = async (cn: string): Promise<Pem> => {
    const g = await generateCertificate({ alias: 'idp', cn, keyAlg: 'RSA', validityDays: 30 });
    return { keyPem: g.keyPem, certPem: g.certPem };
  };
  const fetchText = async (url: string) => {
    const r = await undiciFetch(url, { dispatcher });
    assert.equal(r.status, 200, url);
    return r.text();
  };

  // biome-ignore lint/suspicious/noExplicitAny: ArcGIS JSON answers, checked by the tests.
  async function postMultipart(path: string, fields: Record<string, string>): Promise<any> {
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', admin);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return (await portal.fetch(path, { method: 'POST', body: form })).json();
  }

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    ca = await createRootCa('SAML federation interop test CA');
    const imported = await portal.call('/portaladmin/security/sslCertificates/importRootOrIntermediate', {
      token: admin,
      alias: 'saml-federation-interop-ca',
      certificate: ca.certPem,
    });
    assert.deepEqual(imported.aliases, ['saml-federation-interop-ca'], JSON.stringify(imported));
    const md = await portal.fetch(`${P}/sp/metadata?token=${admin}`);
    const spMetadataXml = await md.text();
    assert.equal(md.status, 200, spMetadataXml);
    const sp = readSpMetadata(spMetadataXml);
    dispatcher = new Agent({ connect: { ca: [portal.caCertPem, ca.certPem] } });

    const [browser, pyIdp, sspIdp, rogueIdp, federationKey, certs] = await Promise.all([
      launchTrustingChromium([portal.caCertPem, ca.certPem]),
      (async () =>
        startPysaml2({
          tls: await tlsFor(),
          signing: await signingPair('pysaml2 federation IdP'),
          spMetadataXml,
          users: {
            grace: {
              password: 'py-Secret-1',
              givenName: 'Grace',
              sn: 'Hopper',
              mail: 'grace@py.example.org',
            },
          },
          displayName: PY_NAME,
        }))(),
      (async () =>
        startSimpleSamlPhp({
          tls: await tlsFor(),
          signing: await signingPair('SimpleSAMLphp federation IdP'),
          sp,
          users: {
            ada: { password: 'ssp-Secret-1', givenName: 'Ada', sn: 'Lovelace', mail: 'ada@ssp.example.org' },
          },
          displayName: SSP_NAME,
        }))(),
      (async () =>
        startPysaml2({
          tls: await tlsFor(),
          signing: await signingPair('rogue pysaml2 IdP'),
          spMetadataXml,
          users: {
            mallory: {
              password: 'rogue-Secret-1',
              givenName: 'Mallory',
              sn: 'M',
              mail: 'm@rogue.example.org',
            },
          },
          displayName: ROGUE_NAME,
        }))(),
      makeSigningKey('RSA', 'Interop Federation Signer'),
      entityCertificates(2),
    ]);
    chromium = browser;
    py = pyIdp;
    ssp = sspIdp;
    rogue = rogueIdp;

    // The IdPs' own metadata, as a federation operator would collect it. The third IdP is
    // listed under an entity ID that is not its own: its responses name an Issuer that the
    // aggregate does not hold.
    const pyEntity = entityDescriptorOf(await fetchText(py.metadataUrl));
    const sspEntity = entityDescriptorOf(await fetchText(ssp.metadataUrl));
    rogueListedAs = `${rogue.url}/listed-entity-id`;
    const rogueEntity = entityDescriptorOf(await fetchText(rogue.metadataUrl)).replace(
      `entityID="${rogue.entityId}"`,
      `entityID="${rogueListedAs}"`,
    );
    assert.ok(rogueEntity.includes(rogueListedAs));
    assert.ok(pyEntity.includes(PY_NAME), 'pysaml2 publishes its mdui:DisplayName');
    assert.ok(sspEntity.includes(SSP_NAME), 'SimpleSAMLphp publishes its mdui:DisplayName');

    const aggregate = signMetadata(
      aggregateXml({
        entities: GENERATED,
        validUntil: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        cacheDuration: 'PT6H',
        certificates: certs,
        name: 'urn:example:interop-federation',
        head: `\n  ${pyEntity}\n  ${sspEntity}\n  ${rogueEntity}`,
      }),
      federationKey,
    );
    const tls = await tlsFor();
    aggregateServer = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      if (req.url !== '/federation/metadata.xml') return void res.writeHead(404).end();
      aggregateFetches++;
      res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(aggregate);
    });
    await new Promise<void>((resolve) => aggregateServer.listen(0, '127.0.0.1', resolve));
    const metadataUrl = `https://127.0.0.1:${(aggregateServer.address() as AddressInfo).port}/federation/metadata.xml`;

    const registered = await postMultipart(`${P}/idp/federation/register`, {
      name: FEDERATION,
      metadataServiceUrl: metadataUrl,
      certificate: federationKey.certPem,
      signUpMode: 'Automatic',
      supportSignedRequest: 'true',
      useSHA256: 'true',
      encryptionSupported: 'true',
      updateProfileAtSignin: 'true',
    });
    assert.equal(registered.success, true, JSON.stringify(registered));
  });

  after(async () => {
    await chromium?.close();
    await Promise.all([py?.close(), ssp?.close(), rogue?.close()]);
    await new Promise((resolve) => aggregateServer?.close(resolve));
    await dispatcher?.close();
    await portal?.close();
  });

  test('the refresh started at registration fetches the aggregate over HTTPS, verifies its signature and indexes its identity providers', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: portaladmin/federations JSON.
    let f: any;
    for (let i = 0; i < 300; i++) {
      const list = await portal.call('/portaladmin/federations', { token: admin }, { method: 'GET' });
      f = list.federations?.[0];
      if (f && f.lastAttempt !== null && !f.refreshing) break;
      await sleep(50);
    }
    assert.equal(f?.lastError, null, JSON.stringify(f));
    assert.equal(f.name, FEDERATION);
    assert.ok(f.lastSuccess, JSON.stringify(f));
    assert.equal(f.entities, GENERATED + 3);
    assert.equal(f.identityProviders, GENERATED_IDPS + 3);
    assert.ok(aggregateFetches >= 1);
  });

  /**
   * The web UI's sign-in through the federation: home/signin.html → oauth2/authorize → "Using
   * your <federation> account" → the chooser → `typed` → the one match (its entity ID) picked →
   * logIn at the IdP → the ACS. Answers the ACS's status and page.
   */
  async function signInThroughChooser(typed: string, entityId: string, logIn: (page: Page) => Promise<void>) {
    const context = await chromium.browser.newContext({ locale: 'en-US' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${portal.url}/home/signin.html`);
    await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/sharing\/rest\/oauth2\/authorize/);
    const link = page.locator('#saml-sign-in');
    assert.equal((await link.textContent())?.trim(), `Using your ${FEDERATION} account`);
    await link.click();
    await page.getByRole('heading', { name: 'Choose your institution' }).waitFor();
    await page.getByText(`${GENERATED_IDPS + 3} institutions`).waitFor();
    await page.getByLabel('Institution name, or your email domain').pressSequentially(typed, { delay: 20 });
    await page.getByText('1 institution matches.').waitFor();
    const results = page.locator('#results button.idp');
    assert.equal(await results.count(), 1);
    assert.equal(await results.first().getAttribute('value'), entityId);
    await results.first().click();
    // The IdP's page posts its response to the ACS.
    const acs = page.waitForResponse(
      (r) => /\/sharing\/rest\/oauth2\/saml\/signin2?$/.test(r.url()) && r.request().method() === 'POST',
      { timeout: 20_000 },
    );
    await logIn(page);
    const answer = await acs;
    return { context, page, status: answer.status() };
  }

  const pysaml2LogIn =
    (idp: () => RunningPysaml2, username: string, password: string) => async (page: Page) => {
      await page.waitForURL((u) => u.origin === idp().url);
      await page.fill('#idp-username', username);
      await page.fill('#idp-password', password);
      await page.click('#idp-login');
    };

  // biome-ignore lint/suspicious/noExplicitAny: community/self's JSON.
  const selfInPage = (page: Page): Promise<any> =>
    page.evaluate(() =>
      fetch('/sharing/rest/community/self?f=json', { credentials: 'same-origin' }).then((r) => r.json()),
    );

  test('pysaml2: chosen by typing part of its display name in the built-in chooser, its login form, back through the ACS, signed in', async () => {
    const { context, page, status } = await signInThroughChooser(
      'hopper inst',
      py.entityId,
      pysaml2LogIn(() => py, 'grace', 'py-Secret-1'),
    );
    try {
      assert.equal(status, 302, (await page.textContent('body')) ?? '');
      const shown = await page.getByTestId('signed-in-user').textContent({ timeout: 15_000 });
      const self = await selfInPage(page);
      assert.equal(shown?.trim(), self.username);
      assert.equal(self.provider, 'enterprise');
      assert.equal(self.idpUsername, 'grace');
      assert.equal(self.email, 'grace@py.example.org');
      assert.equal(self.firstName, 'Grace');
    } finally {
      await context.close();
    }
  });

  test('SimpleSAMLphp: chosen by typing part of its display name in the built-in chooser, its login form, back through the ACS, signed in', async () => {
    const { context, page, status } = await signInThroughChooser('lovelace', ssp.entityId, async (p) => {
      await p.waitForURL((u) => u.origin === ssp.url && u.pathname.includes('loginuserpass'));
      await p.fill('input[name="username"]', 'ada');
      await p.fill('input[name="password"]', 'ssp-Secret-1');
      await p.locator('input[name="password"]').press('Enter');
    });
    try {
      assert.equal(status, 302, `${await page.textContent('body')}\n${ssp.log().slice(-2000)}`);
      const shown = await page.getByTestId('signed-in-user').textContent({ timeout: 15_000 });
      const self = await selfInPage(page);
      assert.equal(shown?.trim(), self.username);
      assert.equal(self.provider, 'enterprise');
      assert.equal(self.idpUsername, 'ada');
      assert.equal(self.email, 'ada@ssp.example.org');
      assert.equal(self.lastName, 'Lovelace');
    } finally {
      await context.close();
    }
  });

  test('a real IdP that is not in the aggregate (listed under another entity ID) is refused at the ACS: saml.issuer_unknown, nobody signed in', async () => {
    const { context, page, status } = await signInThroughChooser(
      'rogue poly',
      rogueListedAs,
      pysaml2LogIn(() => rogue, 'mallory', 'rogue-Secret-1'),
    );
    try {
      assert.equal(status, 403);
      await page.waitForLoadState('domcontentloaded');
      assert.match((await page.textContent('body')) ?? '', /saml\.issuer_unknown/);
      assert.equal(await page.getByTestId('signed-in-user').count(), 0);
      // The error page's policy allows no fetch: community/self opened in the same browser.
      await page.goto(`${portal.url}/sharing/rest/community/self?f=json`);
      const self = JSON.parse((await page.textContent('body')) ?? '{}');
      assert.equal(self.username, undefined, 'no portal session');
    } finally {
      await context.close();
    }
  });
});
