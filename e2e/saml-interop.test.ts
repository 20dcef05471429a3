/**
 * SAML sign-in with real identity providers (issue 10, part 10), in Debian's Chromium: a pysaml2
 * IdP (python3-pysaml2 7.0.1, e2e/idp/pysaml2-idp.py) and a SimpleSAMLphp IdP (simplesamlphp
 * 1.19.7 served by `php -S`, e2e/idp/simplesamlphp/), each on its own HTTPS origin on loopback
 * with a certificate from the test's CA. The portal trusts that CA because an administrator
 * imported it (portaladmin importRootOrIntermediate) and reads each IdP's metadata from its URL
 * through the guarded client; Chromium trusts the portal's CA and the test CA. Certificate
 * checks stay on everywhere; keys and certificates are made at test time.
 *
 * For each IdP, one set-up (the IdP started, its login registered), then: the web UI's sign-in
 * (oauth2/authorize) → "Using your <IdP> account" → the IdP's login form → the ACS → signed in,
 * with a signed AuthnRequest the IdP verified and an encrypted, signed assertion; a profile
 * update at the next sign-in; the logout round trip from the web UI's "Sign out" (a signed
 * LogoutRequest the IdP verified, its signed LogoutResponse back at oauth2/saml/signout); a
 * browser app using @esri/arcgis-rest-request beginOAuth2 that ends signed in through SAML.
 * pysaml2 also shows its default 3DES encryption refused.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { Agent, FormData, fetch as undiciFetch } from 'undici';
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
import type { SpRemote } from './idp/simplesamlphp/config.ts';

const require = createRequire(import.meta.url);
const bundle = (pkg: string, file: string) =>
  readFileSync(join(require.resolve(`${pkg}/package.json`), '..', 'dist', 'bundled', file), 'utf8');
const APP_JS = readFileSync(new URL('./fixtures/oauth-app/app.js', import.meta.url), 'utf8');
const CALLBACK_PATH = '/app/callback';

const XENC11 = 'http://www.w3.org/2009/xmlenc11#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/** What the ACS received from the browser (the IdP's auto-posted form). */
interface AcsPost {
  status: number;
  location: string | null;
  body: string;
  xml: string;
}

describe('SAML sign-in with real identity providers (pysaml2, SimpleSAMLphp) in Chromium', () => {
  let portal: TestPortal;
  let admin: string;
  let ca: Pem;
  let sp: SpRemote;
  let spMetadataXml: string;
  let chromium: Awaited<ReturnType<typeof launchTrustingChromium>>;
  let dispatcher: Agent;
  let appServer: Server;
  let appOrigin: string;
  let browserApp: { client_id: string };

  const P = '/sharing/rest/portals/self';
  const tlsFor = () => issueServerCertificate(ca, ['127.0.0.1'], 1);
  const signingPair = async (cn: string): Promise<Pem> => {
    const g = await generateCertificate({ alias: 'idp', cn, keyAlg: 'RSA', validityDays: 30 });
    return { keyPem: g.keyPem, certPem: g.certPem };
  };
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the IdP's event log.
  const fetchJson = async (url: string): Promise<any> => (await undiciFetch(url, { dispatcher })).json();

  async function postMultipart(path: string, fields: Record<string, string>) {
    const form = new FormData();
    form.set('f', 'json');
    form.set('token', admin);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    return (await portal.fetch(path, { method: 'POST', body: form })).json() as Promise<
      // biome-ignore lint/suspicious/noExplicitAny: ArcGIS JSON answers, checked by the tests.
      any
    >;
  }

  /** Registers the IdP from its metadata URL (read by the portal through its guarded client). */
  async function registerIdp(name: string, metadataUrl: string, logoutUrl: string) {
    const r = await postMultipart(`${P}/idp/register`, {
      name,
      idpMetadataUrl: metadataUrl,
      signUpMode: 'Automatic',
      supportSignedRequest: 'true',
      useSHA256: 'true',
      encryptionSupported: 'true',
      updateProfileAtSignin: 'true',
      supportsLogoutRequest: 'true',
      // Registration asks for it with supportsLogoutRequest even though the metadata names it.
      logoutUrl,
    });
    assert.equal(r.success, true, JSON.stringify(r));
    return r.id as string;
  }

  async function unregisterIdp(id: string) {
    const r = await postMultipart(`${P}/idp/${id}/unregister`, {});
    assert.equal(r.success, true, JSON.stringify(r));
  }

  /** Records the ACS's POST (the SAMLResponse the IdP's page sent) and its answer. */
  function watchAcs(page: Page): () => Promise<AcsPost> {
    let request: Request | undefined;
    const seen = new Promise<AcsPost>((resolve) => {
      page.on('response', async (r) => {
        if (!/\/sharing\/rest\/oauth2\/saml\/signin2?$/.test(r.url()) || r.request().method() !== 'POST')
          return;
        request = r.request();
        const form = new URLSearchParams(request.postData() ?? '');
        const xml = Buffer.from(form.get('SAMLResponse') ?? '', 'base64').toString('utf8');
        const body = r.status() >= 300 && r.status() < 400 ? '' : await r.text().catch(() => '');
        resolve({ status: r.status(), location: (await r.allHeaders()).location ?? null, body, xml });
      });
    });
    return () => seen;
  }

  /** The portal's sign-in page (reached from oauth2/authorize): its SAML choice, clicked. */
  async function chooseSaml(page: Page, idpName: string) {
    await page.waitForURL(/\/sharing\/rest\/oauth2\/authorize/);
    const link = page.locator('#saml-sign-in');
    assert.equal((await link.textContent())?.trim(), `Using your ${idpName} account`);
    await link.click();
  }

  /**
   * The web UI's sign-in, through SAML: home/signin.html → oauth2/authorize → the SAML choice →
   * the IdP's form (logIn) → the ACS. Answers the ACS POST and, when it succeeded, community/self
   * as the web UI (its session cookie) reads it.
   */
  async function webUiSignIn(idpName: string, logIn: (page: Page) => Promise<void>) {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const acs = watchAcs(page);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(`${portal.url}/home/signin.html`);
      await page.getByTestId('sign-in-form').getByRole('button', { name: 'Sign in' }).click();
      await chooseSaml(page, idpName);
      await logIn(page);
      const post = await acs();
      if (post.status !== 302) return { post, page, context, requests };
      const shown = await page.getByTestId('signed-in-user').textContent({ timeout: 15_000 });
      // As the web UI asks, with its session cookie.
      // biome-ignore lint/suspicious/noExplicitAny: community/self's JSON, checked by the tests.
      const self: any = await page.evaluate(() =>
        fetch('/sharing/rest/community/self?f=json', { credentials: 'same-origin' }).then((r) => r.json()),
      );
      assert.ok(self.username, JSON.stringify(self));
      assert.equal(shown?.trim(), self.username, 'the header shows the signed-in SAML user');
      return { post, page, context, self, requests };
    } catch (e) {
      await context.close();
      throw e;
    }
  }

  /**
   * The web UI's "Sign out" after a SAML sign-in: oauth2/signout ends the portal session and
   * sends the browser to the IdP with a LogoutRequest; the IdP's LogoutResponse comes back to
   * oauth2/saml/signout. Answers that LogoutRequest's URL and the portal's answer to the response.
   */
  async function webUiSignOut(page: Page, requests: string[], idpOrigin: string) {
    const back = page.waitForResponse(
      (r) => r.url().startsWith(`${portal.url}/sharing/rest/oauth2/saml/signout`),
      {
        timeout: 15_000,
      },
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    const answer = await back;
    const status = answer.status();
    const body = status >= 300 && status < 400 ? '' : await answer.text().catch(() => '');
    await page.waitForLoadState('domcontentloaded');
    const logoutRequest = requests
      .map((u) => new URL(u))
      .filter((u) => u.origin === idpOrigin && u.searchParams.has('SAMLRequest'))
      .at(-1);
    return { status, body, logoutRequest, logoutResponse: new URL(answer.url()) };
  }

  /** The session of the web UI in this page, as community/self sees it. */
  // biome-ignore lint/suspicious/noExplicitAny: community/self's JSON.
  const selfInPage = (page: Page): Promise<any> =>
    page.evaluate(() =>
      fetch('/sharing/rest/community/self?f=json', { credentials: 'same-origin' }).then((r) => r.json()),
    );

  /** The app's page: @esri/arcgis-rest-request and -portal UMD bundles, unmodified, and app.js. */
  function appPage(): string {
    const config = {
      clientId: browserApp.client_id,
      redirectUri: `${appOrigin}${CALLBACK_PATH}`,
      portal: `${portal.url}/sharing/rest`,
      pkce: true,
      callbackPath: CALLBACK_PATH,
    };
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>SAML app</title></head><body>
<button id="signin" type="button">Sign in with the portal</button>
<pre id="result"></pre>
<script type="application/json" id="config">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>
<script src="/app/request.umd.js"></script>
<script src="/app/portal.umd.js"></script>
<script src="/app/app.js"></script>
</body></html>`;
  }

  /** The browser app's sign-in: beginOAuth2 → the portal's page → SAML → the IdP → completeOAuth2 → getUser. */
  async function appSignIn(idpName: string, logIn: (page: Page) => Promise<void>) {
    const context: BrowserContext = await chromium.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${appOrigin}/app/`);
      await page.click('#signin');
      await chooseSaml(page, idpName);
      await logIn(page);
      await page.waitForURL((u) => u.origin === appOrigin, { timeout: 15_000 });
      await page.locator('#result:not(:empty)').waitFor({ timeout: 15_000 });
      return JSON.parse((await page.textContent('#result'))!) as {
        ok: boolean;
        user?: { username: string };
        signedIn?: { username: string; refreshToken: string | null };
      };
    } finally {
      await context.close();
    }
  }

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    ca = await createRootCa('SAML interop test CA');
    // As an administrator would: the IdPs' CA into the portal's trust store, over the API.
    const imported = await portal.call('/portaladmin/security/sslCertificates/importRootOrIntermediate', {
      token: admin,
      alias: 'saml-interop-ca',
      certificate: ca.certPem,
    });
    assert.deepEqual(imported.aliases, ['saml-interop-ca'], JSON.stringify(imported));
    const md = await portal.fetch(`${P}/sp/metadata?token=${admin}`);
    spMetadataXml = await md.text();
    assert.equal(md.status, 200, spMetadataXml);
    sp = readSpMetadata(spMetadataXml);
    dispatcher = new Agent({ connect: { ca: [portal.caCertPem, ca.certPem] } });
    chromium = await launchTrustingChromium([portal.caCertPem, ca.certPem]);

    const tls = await tlsFor();
    const files: Record<string, string> = {
      '/app/request.umd.js': bundle('@esri/arcgis-rest-request', 'request.umd.js'),
      '/app/portal.umd.js': bundle('@esri/arcgis-rest-portal', 'portal.umd.js'),
      '/app/app.js': APP_JS,
    };
    appServer = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      if (path === '/app/' || path === CALLBACK_PATH) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return void res.end(appPage());
      }
      const js = files[path];
      if (js) return void res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(js);
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
    appOrigin = `https://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
    const item = await portal.call('/sharing/rest/content/users/admin/addItem', {
      token: admin,
      title: 'SAML interop app',
      type: 'Application',
    });
    const app = await portal.call('/sharing/rest/oauth2/registerApp', {
      token: admin,
      itemId: item.id,
      appType: 'browser',
      redirect_uris: JSON.stringify([`${appOrigin}${CALLBACK_PATH}`]),
    });
    assert.ok(app.client_id, JSON.stringify(app));
    browserApp = app;
  });

  after(async () => {
    await chromium?.close();
    await new Promise((resolve) => appServer?.close(resolve));
    await dispatcher?.close();
    await portal?.close();
  });

  describe('pysaml2 7.0.1 IdP (HTTP-POST AuthnRequest, signed response and assertion, AES-256-GCM)', () => {
    const NAME = 'pysaml2 Test IdP';
    let idp: RunningPysaml2;
    let loginId: string;
    const user = { password: 'py-Secret-1', givenName: 'Grace', sn: 'Hopper', mail: 'grace@py.example.org' };

    before(async () => {
      idp = await startPysaml2({
        tls: await tlsFor(),
        signing: await signingPair('pysaml2 test IdP'),
        spMetadataXml,
        users: { grace: user },
      });
      loginId = await registerIdp(NAME, idp.metadataUrl, `${idp.url}/slo/redirect`);
    });
    after(async () => {
      if (loginId) await unregisterIdp(loginId);
      await idp?.close();
    });

    const logIn =
      (username = 'grace', password = user.password) =>
      async (page: Page) => {
        await page.waitForURL((u) => u.origin === idp.url);
        await page.fill('#idp-username', username);
        await page.fill('#idp-password', password);
        await page.click('#idp-login');
      };

    test('web UI sign-in: signed AuthnRequest verified by pysaml2, encrypted assertion (AES-256-GCM, RSA-OAEP), community/self is the SAML user', async () => {
      const { post, context, self } = await webUiSignIn(NAME, logIn());
      try {
        assert.equal(post.status, 302, post.body);
        const requests = (await idp.events(fetchJson)).filter((e) => e.type === 'authn_request');
        const last = requests.at(-1);
        assert.equal(last.issuer, sp.entityId);
        assert.equal(last.signed, true, 'the AuthnRequest carries an XML signature');
        assert.equal(last.signatureVerified, true, 'pysaml2 (want_authn_requests_signed) verified it');
        assert.equal(last.signatureMethod, RSA_SHA256);
        assert.match(post.xml, /<(\w+:)?EncryptedAssertion/);
        assert.doesNotMatch(post.xml, /<(\w+:)?Assertion[\s>]/, 'no assertion in the clear');
        assert.ok(post.xml.includes(`Algorithm="${XENC11}aes256-gcm"`), 'AES-256-GCM content encryption');
        assert.ok(post.xml.includes('Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"'));
        assert.ok(post.xml.includes(`Algorithm="${RSA_SHA256}"`), 'the response is signed with RSA-SHA256');
        assert.equal(self.email, user.mail);
        assert.equal(self.firstName, user.givenName);
        assert.equal(self.lastName, user.sn);
        assert.equal(self.provider, 'enterprise');
        assert.equal(self.idpUsername, 'grace');
      } finally {
        await context.close();
      }
    });

    test('profile update at the next sign-in: the IdP’s new given name and email replace the old ones', async () => {
      const first = await webUiSignIn(NAME, logIn());
      await first.context.close();
      assert.equal(first.post.status, 302, first.post.body);
      idp.setUsers({ grace: { ...user, givenName: 'Amazing Grace', mail: 'grace.hopper@py.example.org' } });
      try {
        const { post, context, self } = await webUiSignIn(NAME, logIn());
        await context.close();
        assert.equal(post.status, 302, post.body);
        assert.equal(self.username, first.self!.username, 'the same account');
        assert.equal(self.firstName, 'Amazing Grace');
        assert.equal(self.email, 'grace.hopper@py.example.org');
        assert.equal(self.lastName, user.sn);
      } finally {
        idp.setUsers({ grace: user });
      }
    });

    test('pysaml2’s default encryption (3DES-CBC) is refused: saml.encryption_algorithm_refused on the portal’s page, nothing issued', async () => {
      idp.setEncryption('pysaml2-default');
      try {
        const { post, page, context } = await webUiSignIn(NAME, logIn());
        try {
          assert.ok(
            post.xml.includes('Algorithm="http://www.w3.org/2001/04/xmlenc#tripledes-cbc"'),
            post.xml,
          );
          assert.equal(post.status, 403, post.body);
          assert.equal(post.location, null, 'no redirect');
          await page.waitForLoadState('domcontentloaded');
          assert.match((await page.textContent('body')) ?? '', /saml\.encryption_algorithm_refused/);
          assert.equal(await page.getByTestId('signed-in-user').count(), 0);
        } finally {
          await context.close();
        }
      } finally {
        idp.setEncryption('aes256-gcm');
      }
    });

    test('logout round trip: the web UI’s Sign out sends a signed LogoutRequest that pysaml2 verifies; its signed LogoutResponse ends at the portal, signed out', async () => {
      const { post, page, context, requests } = await webUiSignIn(NAME, logIn());
      try {
        assert.equal(post.status, 302, post.body);
        const out = await webUiSignOut(page, requests!, idp.url);
        assert.ok(out.logoutRequest, 'the browser went to the IdP with a LogoutRequest');
        assert.equal(out.logoutRequest.pathname, '/slo/redirect');
        assert.equal(out.logoutRequest.searchParams.get('SigAlg'), RSA_SHA256);
        const events = await idp.events(fetchJson);
        const request = events.filter((e) => e.type === 'logout_request').at(-1);
        assert.equal(request.issuer, sp.entityId);
        assert.equal(request.nameId, 'grace');
        assert.equal(
          request.signatureVerified,
          true,
          'pysaml2 verified the query signature with the SP metadata key',
        );
        assert.ok(events.some((e) => e.type === 'logout_response'));
        assert.ok(out.logoutResponse.searchParams.get('Signature'), 'the LogoutResponse is signed');
        assert.ok(
          out.status === 303 || out.status === 200,
          `oauth2/saml/signout answered ${out.status}: ${out.body}`,
        );
        assert.doesNotMatch(out.body, /saml\.logout_/);
        assert.equal(await page.getByTestId('signed-in-user').count(), 0);
        assert.equal((await selfInPage(page)).username, undefined, 'the portal session is over');
      } finally {
        await context.close();
      }
    });

    test('browser app: @esri/arcgis-rest-request beginOAuth2 → SAML through pysaml2 → completeOAuth2 → getUser', async () => {
      const result = await appSignIn(NAME, logIn());
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.user?.username, result.signedIn?.username);
      const self = await portal.call(
        `/sharing/rest/community/users/${result.user!.username}`,
        { token: admin },
        { method: 'GET' },
      );
      assert.equal(self.idpUsername, 'grace', JSON.stringify(self));
    });
  });

  describe('SimpleSAMLphp 1.19.7 IdP (HTTP-Redirect AuthnRequest, signed response and assertion, AES-128-CBC)', () => {
    const NAME = 'SimpleSAMLphp Test IdP';
    let idp: RunningSimpleSamlPhp;
    let loginId: string;
    const user = { password: 'ssp-Secret-1', givenName: 'Ada', sn: 'Lovelace', mail: 'ada@ssp.example.org' };

    before(async () => {
      idp = await startSimpleSamlPhp({
        tls: await tlsFor(),
        signing: await signingPair('SimpleSAMLphp test IdP'),
        sp,
        users: { ada: user },
      });
      loginId = await registerIdp(NAME, idp.metadataUrl, `${idp.url}/saml2/idp/SingleLogoutService.php`);
    });
    after(async () => {
      if (loginId) await unregisterIdp(loginId);
      await idp?.close();
    });

    const logIn =
      (username = 'ada', password = user.password) =>
      async (page: Page) => {
        await page.waitForURL((u) => u.origin === idp.url && u.pathname.includes('loginuserpass'));
        await page.fill('input[name="username"]', username);
        await page.fill('input[name="password"]', password);
        await page.locator('input[name="password"]').press('Enter');
      };

    test('web UI sign-in: signed AuthnRequest validated by SimpleSAMLphp (validate.authnrequest), encrypted assertion, community/self is the SAML user', async () => {
      const logBefore = idp.log().length;
      const { post, context, self, requests } = await webUiSignIn(NAME, logIn());
      try {
        assert.equal(post.status, 302, `${post.body}\n${idp.log().slice(logBefore)}`);
        // The Redirect binding: the query carries the request, RelayState and an RSA-SHA256 signature.
        const sso = requests
          .map((u) => new URL(u))
          .find((u) => u.href.startsWith(`${idp.url}/saml2/idp/SSOService.php?`));
        assert.ok(sso, requests.join('\n'));
        assert.ok(sso.searchParams.get('SAMLRequest'));
        assert.ok(sso.searchParams.get('RelayState'));
        assert.ok(sso.searchParams.get('Signature'), 'the AuthnRequest is signed');
        assert.equal(sso.searchParams.get('SigAlg'), RSA_SHA256);
        const log = idp.log().slice(logBefore);
        assert.match(
          log,
          /Validation with key #0 succeeded\./,
          'SimpleSAMLphp checked the request signature',
        );
        assert.match(post.xml, /<(\w+:)?EncryptedAssertion/);
        assert.doesNotMatch(post.xml, /<(\w+:)?Assertion[\s>]/, 'no assertion in the clear');
        assert.ok(post.xml.includes('Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"'));
        assert.ok(post.xml.includes('Algorithm="http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p"'));
        assert.ok(post.xml.includes(`Algorithm="${RSA_SHA256}"`));
        assert.equal(self.email, user.mail);
        assert.equal(self.firstName, user.givenName);
        assert.equal(self.lastName, user.sn);
        assert.equal(self.provider, 'enterprise');
        assert.equal(self.idpUsername, 'ada');
      } finally {
        await context.close();
      }
    });

    test('profile update at the next sign-in: the IdP’s new given name and email replace the old ones', async () => {
      const first = await webUiSignIn(NAME, logIn());
      await first.context.close();
      assert.equal(first.post.status, 302, first.post.body);
      idp.setUsers({ ada: { ...user, givenName: 'Augusta Ada', mail: 'ada.lovelace@ssp.example.org' } });
      try {
        const { post, context, self } = await webUiSignIn(NAME, logIn());
        await context.close();
        assert.equal(post.status, 302, post.body);
        assert.equal(self.username, first.self!.username, 'the same account');
        assert.equal(self.firstName, 'Augusta Ada');
        assert.equal(self.email, 'ada.lovelace@ssp.example.org');
      } finally {
        idp.setUsers({ ada: user });
      }
    });

    test('logout round trip: the web UI’s Sign out sends a signed LogoutRequest that SimpleSAMLphp validates (validate.logout); its signed LogoutResponse ends at the portal, signed out', async () => {
      const { post, page, context, requests } = await webUiSignIn(NAME, logIn());
      try {
        assert.equal(post.status, 302, post.body);
        const logBefore = idp.log().length;
        const out = await webUiSignOut(page, requests!, idp.url);
        const log = idp.log().slice(logBefore);
        assert.ok(out.logoutRequest, 'the browser went to the IdP with a LogoutRequest');
        assert.equal(out.logoutRequest.pathname, '/saml2/idp/SingleLogoutService.php');
        assert.equal(out.logoutRequest.searchParams.get('SigAlg'), RSA_SHA256);
        assert.match(
          log,
          /Validation with key #0 succeeded\./,
          `SimpleSAMLphp checked the LogoutRequest signature:\n${log}`,
        );
        assert.ok(out.logoutResponse.searchParams.get('Signature'), 'the LogoutResponse is signed');
        assert.ok(
          out.status === 303 || out.status === 200,
          `oauth2/saml/signout answered ${out.status}: ${out.body}`,
        );
        assert.doesNotMatch(out.body, /saml\.logout_/);
        assert.equal(await page.getByTestId('signed-in-user').count(), 0);
        assert.equal((await selfInPage(page)).username, undefined, 'the portal session is over');
      } finally {
        await context.close();
      }
    });

    test('browser app: @esri/arcgis-rest-request beginOAuth2 → SAML through SimpleSAMLphp → completeOAuth2 → getUser', async () => {
      const result = await appSignIn(NAME, logIn());
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.user?.username, result.signedIn?.username);
    });
  });
});
