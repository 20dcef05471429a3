/**
 * Discovery of a federation login's identity provider: SAMLDS towards the federation's own
 * discovery service, the built-in chooser page, the search API behind it, logos, and the
 * DiscoFeed of the indexed IdPs.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { OutboundClient } from '../../kernel/outbound/guarded-client.ts';
import type { SamlLogin } from '../logins/login.ts';
import { CHOOSER_CSP, type ChooserEntry, chooserPage, LOGO_PATH } from './chooser-page.ts';
import { LogoCache } from './logos.ts';
import { domainsOf, logoOf, nameIn } from './names.ts';
import type { DiscoveryIdp, DiscoveryIndexPort } from './port.ts';

export interface DiscoveryDeps {
  index: DiscoveryIndexPort | undefined;
  current(): Promise<SamlLogin | undefined>;
  outbound(): OutboundClient;
  now(): number;
}

/** The SAMLDS request (sstc-saml-idp-discovery, 2.4.1) to the federation's discovery service. */
export function samlDsUrl(
  discoveryServiceUrl: string,
  spEntityId: string,
  authorizeUrl: string,
  oauthState: string,
): string {
  // return: our authorize URL (its base is the SP metadata's idpdisc:DiscoveryResponse), with
  // the OAuth transaction's id only; ds=returned tells a return without a choice (isPassive,
  // or the user gave up) from a first visit, so that it never loops back to the service.
  const back = new URL(authorizeUrl);
  back.searchParams.set('oauth_state', oauthState);
  back.searchParams.set('ds', 'returned');
  const u = new URL(discoveryServiceUrl);
  u.searchParams.set('entityID', spEntityId);
  u.searchParams.set('return', back.toString());
  u.searchParams.set('returnIDParam', 'idp');
  u.searchParams.set('isPassive', 'false');
  return u.toString();
}

export function createDiscovery(d: DiscoveryDeps) {
  const logos = new LogoCache(d.outbound, d.now);
  const federationOf = async () => {
    const login = await d.current();
    const fid = login?.kind === 'federation' ? login.federation?.federationId : undefined;
    return fid && d.index ? { login: login!, fid, index: d.index } : undefined;
  };
  const entry = (idp: DiscoveryIdp, lang: string): ChooserEntry => ({
    entityID: idp.entityId,
    name: nameIn(idp, lang),
    domains: domainsOf(idp),
    logo: logoOf(idp, lang) ? `${LOGO_PATH}?entityID=${encodeURIComponent(idp.entityId)}` : null,
  });

  return {
    federationOf,
    /** The search API's answer (SEARCH_PATH), ArcGIS paging style. */
    async search(q: string, start: number, num: number, lang: string) {
      const f = await federationOf();
      if (!f) return undefined;
      // "jane@uni.example" searches the domain.
      const words = q.includes('@') ? q.slice(q.lastIndexOf('@') + 1) : q;
      const r = await f.index.search(f.fid, words, { start, num });
      const next = start + r.identityProviders.length;
      return {
        total: r.total,
        start,
        num: r.identityProviders.length,
        nextStart: next <= r.total && r.identityProviders.length ? next : -1,
        identityProviders: r.identityProviders.map((i) => entry(i, lang)),
      };
    },
    /** The chooser page of oauth2/saml/authorize for this transaction. */
    async sendChooser(reply: FastifyReply, login: SamlLogin, oauthState: string, q: string, lang: string) {
      const fid = login.federation?.federationId;
      const found = fid && d.index ? await this.search(q, 1, 20, lang) : undefined;
      const html = chooserPage({
        federationName: login.name,
        oauthState,
        q,
        total: found?.total ?? 0,
        results: found?.identityProviders ?? [],
        empty: !found || (!q && found.total === 0),
      });
      return reply
        .code(200)
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CHOOSER_CSP)
        .header('x-frame-options', 'DENY')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'same-origin')
        .send(html);
    },
    /** An IdP's logo through the cache, or undefined. */
    async logo(entityId: string) {
      const f = await federationOf();
      const idp = f ? await f.index.identityProvider(f.fid, entityId) : undefined;
      const l = idp ? logoOf(idp) : undefined;
      return l ? ((await logos.get(l.url)) ?? undefined) : undefined;
    },
    /**
     * The DiscoFeed (Shibboleth SP's format): a JSON array with an object per IdP: entityID,
     * DisplayNames, Descriptions, Logos ({value, height, width, lang}), as the metadata has
     * them; streamed page by page.
     */
    async discoFeed(): Promise<{ body: Readable; etag: string } | undefined> {
      const f = await federationOf();
      if (!f) return undefined;
      const state = await f.index.get(f.fid);
      const etag = `"${f.fid}-${state.lastSuccess ?? 0}"`;
      const pages = f.index.allIdentityProviders(f.fid);
      const langs = (m: Record<string, string>) =>
        Object.entries(m).map(([lang, value]) => (lang ? { value, lang } : { value }));
      async function* json() {
        let first = true;
        yield '[';
        for await (const page of pages)
          for (const i of page) {
            const o: Record<string, unknown> = { entityID: i.entityId };
            if (Object.keys(i.displayNames).length) o.DisplayNames = langs(i.displayNames);
            if (Object.keys(i.descriptions).length) o.Descriptions = langs(i.descriptions);
            if (i.logos.length)
              o.Logos = i.logos.map((l) => ({
                value: l.url,
                ...(l.height !== null ? { height: String(l.height) } : {}),
                ...(l.width !== null ? { width: String(l.width) } : {}),
                ...(l.lang ? { lang: l.lang } : {}),
              }));
            yield `${first ? '\n' : ',\n'}${JSON.stringify(o)}`;
            first = false;
          }
        yield '\n]\n';
      }
      return { body: Readable.from(json()), etag };
    },
  };
}

export type Discovery = ReturnType<typeof createDiscovery>;
