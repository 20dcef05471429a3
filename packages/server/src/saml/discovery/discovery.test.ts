/**
 * Discovery of a federation login's identity provider over real HTTPS: the built-in chooser
 * page (its CSP, without script: q answered by the server), the search API over a 10,000-entity
 * aggregate (times printed, not asserted), the choice sent back to authorize and checked
 * against the index (an entity outside it refused with saml.idp_unknown), the DiscoFeed, the
 * logo proxy's checks, and SAMLDS towards an external discovery service (its parameters, the
 * return with and without a choice).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestPortal, type TestPortal } from '../../../test/portal.ts';
import { entityIdOf } from '../../federations/test-aggregate.ts';
import { authorize } from '../../oauth/flow/test-oauth.ts';
import { postForm } from '../signin/test-saml.ts';
import { CHOOSER_CSP } from './chooser-page.ts';
import { LogoCache, sniffImage } from './logos.ts';
import { authnRequestOf, registerTestFederation, type TestFederation } from './test-federation.ts';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

describe('SAML discovery', () => {
  let portal: TestPortal;
  let admin: string;
  let fed: TestFederation;
  let callback: string;

  before(async () => {
    portal = await startTestPortal();
    admin = await portal.token();
    callback = `${portal.kernel.baseUrl()}/home/oauth-callback`;
    fed = await registerTestFederation(portal, admin, { entities: 10_000 });
    console.log(`ingest of 10,000 entities (7,500 IdPs): ${fed.ingestMs.toFixed(0)} ms`);
  });
  after(() => portal.close());

  /** A pending authorization of the portal's own app: its oauth_state. */
  async function oauthState(): Promise<string> {
    const page = await authorize(portal, {
      client_id: 'arcgisonline',
      response_type: 'token',
      redirect_uri: callback,
      state: 'x',
    });
    assert.equal(page.status, 200, page.body);
    return page.oauthState!;
  }

  const search = async (q: string, more = '') => {
    const t0 = performance.now();
    const r = await portal.fetch(`/sharing/rest/oauth2/saml/idps?f=json&q=${encodeURIComponent(q)}${more}`);
    const ms = performance.now() - t0;
    const body = (await r.json()) as {
      total: number;
      nextStart: number;
      identityProviders: { entityID: string; name: string; domains: string[]; logo: string | null }[];
    };
    console.log(`search ${JSON.stringify(q)}: ${body.total} found, ${ms.toFixed(1)} ms`);
    return body;
  };

  test('the search API: names in any language, domains, scopes, an email address; by display name', async () => {
    const all = await search('');
    assert.equal(all.total, 7500);
    assert.equal(all.identityProviders.length, 20);
    assert.equal(all.nextStart, 21);
    const one = await search('zurich 1234');
    assert.equal(one.total, 1, 'German name, accents folded');
    assert.equal(one.identityProviders[0]!.entityID, entityIdOf(1234));
    assert.equal(one.identityProviders[0]!.name, 'University 1234 & Partners');
    assert.deepEqual(one.identityProviders[0]!.domains, ['uni1234.example.edu', 'mail.uni1234.example.edu']);
    assert.match(one.identityProviders[0]!.logo!, /^\/sharing\/rest\/oauth2\/saml\/idps\/logo\?entityID=/);
    assert.equal((await search('Université n° 1235')).identityProviders[0]!.entityID, entityIdOf(1235));
    assert.equal((await search('大学 1233')).total, 1, 'Japanese name');
    assert.equal((await search('uni1233.example.edu')).identityProviders[0]!.entityID, entityIdOf(1233));
    assert.equal(
      (await search('jane.doe@mail.uni1233.example.edu')).total,
      1,
      'an email address: its domain',
    );
    // Prefixes: 123 begins 123 and 1230…1239 (no IdP for multiples of 4).
    const prefix = await search('univ 123', '&num=100');
    assert.deepEqual(
      prefix.identityProviders.map((i) => i.entityID).sort(),
      [123, 1230, 1231, 1233, 1234, 1235, 1237, 1238, 1239].map(entityIdOf).sort(),
    );
    assert.equal(prefix.identityProviders[0]!.name, 'University 123 & Partners', 'by display name');
    assert.equal((await search('1236')).total, 0, 'a service provider is not indexed');
    assert.equal((await search('nothing-like-this')).total, 0);
    const fr = await search('1234', '&lang=fr-CH');
    assert.equal(fr.identityProviders[0]!.name, 'Université n° 1234');
  });

  test('the chooser page: strict CSP, a same-origin script, results without script; a choice goes to its IdP', async () => {
    const state = await oauthState();
    const r = await portal.fetch(`/sharing/rest/oauth2/saml/authorize?oauth_state=${state}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-security-policy'), CHOOSER_CSP);
    assert.match(CHOOSER_CSP, /script-src 'self'/);
    assert.doesNotMatch(CHOOSER_CSP, /unsafe-inline|img-src[^;]*https/);
    const html = await r.text();
    assert.match(html, /<script src="\/sharing\/rest\/oauth2\/saml\/chooser\.js" defer><\/script>/);
    assert.doesNotMatch(html, /<script>|\son[a-z]+=/, 'no inline script or handler');
    assert.match(html, /7500 institutions/);
    const js = await portal.fetch('/sharing/rest/oauth2/saml/chooser.js');
    assert.match(js.headers.get('content-type')!, /javascript/);
    assert.doesNotMatch(await js.text(), /innerHTML/);

    const t0 = performance.now();
    const found = await portal.fetch(
      `/sharing/rest/oauth2/saml/authorize?oauth_state=${state}&q=zurich+1234`,
    );
    const page = await found.text();
    console.log(`chooser page for "zurich 1234": ${(performance.now() - t0).toFixed(1)} ms`);
    assert.match(page, /1 institution match/);
    assert.ok(page.includes(`name="idp" value="${entityIdOf(1234)}"`));
    assert.match(page, /University 1234 &#38; Partners/, 'names escaped');

    const chosen = await portal.fetch(
      `/sharing/rest/oauth2/saml/authorize?oauth_state=${state}&q=&idp=${encodeURIComponent(entityIdOf(1234))}`,
      { redirect: 'manual' },
    );
    assert.equal(chosen.status, 302, await chosen.text());
    const { url, xml } = authnRequestOf(chosen.headers.get('location')!);
    assert.equal(
      `${url.origin}${url.pathname}`,
      'https://uni1234.example.edu/idp/profile/SAML2/Redirect/SSO',
    );
    assert.equal(url.searchParams.get('RelayState'), state);
    assert.match(xml, /<samlp:AuthnRequest /);
  });

  test('a returned idp outside the index is refused with its own code, never followed', async () => {
    const state = await oauthState();
    for (const idp of [
      'https://evil.example/idp',
      entityIdOf(1236) /* a service provider of the aggregate */,
    ]) {
      const r = await portal.fetch(
        `/sharing/rest/oauth2/saml/authorize?oauth_state=${state}&idp=${encodeURIComponent(idp)}`,
        { redirect: 'manual' },
      );
      assert.equal(r.status, 400);
      assert.equal(r.headers.get('location'), null);
      assert.match(await r.text(), /saml\.idp_unknown/);
    }
  });

  test('the DiscoFeed', async () => {
    const t0 = performance.now();
    const r = await portal.fetch('/sharing/rest/oauth2/saml/discofeed');
    const feed = (await r.json()) as {
      entityID: string;
      DisplayNames: { value: string; lang?: string }[];
      Descriptions?: { value: string; lang?: string }[];
      Logos?: { value: string; height?: string; width?: string; lang?: string }[];
    }[];
    console.log(`DiscoFeed of ${feed.length} IdPs: ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    assert.equal(feed.length, 7500);
    const e = feed.find((x) => x.entityID === entityIdOf(1233))!;
    assert.deepEqual(e.DisplayNames, [
      { value: 'University 1233 & Partners', lang: 'en' },
      { value: 'Universität 1233 – Zürich', lang: 'de' },
      { value: 'Université n° 1233', lang: 'fr' },
      { value: '大学 1233', lang: 'ja' },
    ]);
    assert.equal(e.Descriptions?.length, 2);
    assert.deepEqual(e.Logos, [
      { value: 'https://uni1233.example.edu/favicon.ico', height: '16', width: '16' },
      { value: 'https://uni1233.example.edu/logo-en.png', height: '60', width: '200', lang: 'en' },
    ]);
    const again = await portal.fetch('/sharing/rest/oauth2/saml/discofeed', {
      headers: { 'if-none-match': r.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
  });

  test('logos: only images recognised by their bytes (never SVG or HTML), from data: or https:, cached', async () => {
    assert.equal(sniffImage(PNG), 'image/png');
    assert.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), undefined);
    let fetched = 0;
    const bodies: Record<string, Buffer> = {
      'https://a.example/logo.png': PNG,
      'https://a.example/logo.svg': Buffer.from('<svg onload="alert(1)"/>'),
    };
    const cache = new LogoCache(
      () => ({
        async request(url: string) {
          fetched++;
          const body = bodies[url];
          return { status: body ? 200 : 404, body: body ?? Buffer.alloc(0) } as never;
        },
        stream: () => Promise.reject(new Error('unused')),
      }),
      () => Date.now(),
    );
    assert.equal((await cache.get('https://a.example/logo.png'))?.type, 'image/png');
    assert.equal(await cache.get('https://a.example/logo.svg'), null);
    assert.equal(await cache.get('http://a.example/logo.png'), null, 'http: is not fetched');
    assert.equal((await cache.get(`data:image/png;base64,${PNG.toString('base64')}`))?.type, 'image/png');
    await cache.get('https://a.example/logo.png');
    assert.equal(fetched, 2, 'the second read came from the cache');
    // The generated IdPs' logo hosts do not exist: the portal answers 404, the page shows none.
    const r = await portal.fetch(
      `/sharing/rest/oauth2/saml/idps/logo?entityID=${encodeURIComponent(entityIdOf(1233))}`,
    );
    assert.equal(r.status, 404);
  });

  test('SAMLDS towards the federation’s discovery service: its parameters, the return with and without a choice', async () => {
    const login = await portal.call(
      '/sharing/rest/portals/self/idp/federation',
      { token: admin },
      { method: 'GET' },
    );
    const up = await postForm(portal, `/sharing/rest/portals/self/idp/federation/${login.id}/update`, admin, {
      discoveryServiceUrl: 'https://ds.example-federation.org/ds/WAYF?lang=en',
    });
    assert.equal(up.success, true, JSON.stringify(up));
    const state = await oauthState();
    const r = await portal.fetch(`/sharing/rest/oauth2/saml/authorize?oauth_state=${state}`, {
      redirect: 'manual',
    });
    assert.equal(r.status, 302);
    const ds = new URL(r.headers.get('location')!);
    assert.equal(`${ds.origin}${ds.pathname}`, 'https://ds.example-federation.org/ds/WAYF');
    assert.equal(ds.searchParams.get('lang'), 'en', 'the service URL’s own parameters kept');
    assert.equal(
      ds.searchParams.get('entityID'),
      login.entityId ||
        /entityID="([^"]+)"/.exec(
          await (await portal.fetch(`/sharing/rest/portals/self/sp/metadata?token=${admin}`)).text(),
        )![1],
    );
    assert.equal(ds.searchParams.get('returnIDParam'), 'idp');
    assert.equal(ds.searchParams.get('isPassive'), 'false');
    const back = new URL(ds.searchParams.get('return')!);
    assert.equal(
      `${back.origin}${back.pathname}`,
      `${portal.kernel.baseUrl()}/sharing/rest/oauth2/saml/authorize`,
    );
    assert.deepEqual([...back.searchParams.keys()].sort(), ['ds', 'oauth_state']);
    assert.equal(back.searchParams.get('oauth_state'), state, 'the transaction id, no URL of the app');
    assert.doesNotMatch(back.toString(), /oauth-callback/);

    // The service answers: return + &idp=<entityID>.
    back.searchParams.set('idp', entityIdOf(1233));
    const chosen = await portal.fetch(back.toString(), { redirect: 'manual' });
    assert.equal(chosen.status, 302);
    assert.equal(authnRequestOf(chosen.headers.get('location')!).url.hostname, 'uni1233.example.edu');
    // Back without a choice: the built-in chooser, not the service again (no loop).
    back.searchParams.delete('idp');
    const none = await portal.fetch(back.toString(), { redirect: 'manual' });
    assert.equal(none.status, 200);
    assert.match(await none.text(), /Choose your institution/);
    // A forged idp on the return: refused like any other.
    back.searchParams.set('idp', 'https://evil.example/idp');
    assert.equal((await portal.fetch(back.toString(), { redirect: 'manual' })).status, 400);
  });
});
