import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { fileResponse, route } from '../../http/route.ts';
import { NotFound } from '../../kernel/errors/common.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { CHOOSER_SCRIPT, LOGO_PATH, SCRIPT_PATH, SEARCH_PATH } from './chooser-page.ts';
import type { Discovery } from './discovery.ts';

const noFederation = () =>
  new MeridianError(
    NotFound,
    'The organisation’s SAML login is not a federation: there is nothing to discover.',
  );

const Entry = Type.Object({
  entityID: Type.String(),
  name: Type.String({
    description: 'The display name in the asked language (lang), else English, else any.',
  }),
  domains: Type.Array(Type.String(), { description: 'Domain hints and scopes.' }),
  logo: Type.Union([Type.String(), Type.Null()], { description: 'The logo, served by the portal (a path).' }),
});

/** The routes of discovery; the chooser page itself is oauth2/saml/authorize's (sign-in.ts). */
export function registerDiscoveryRoutes(app: FastifyInstance, discovery: Discovery): void {
  route(app, {
    method: 'GET',
    url: SEARCH_PATH,
    summary:
      "Searches the identity providers of the organisation's federation login (the chooser's search as you type): each word of q begins a word of a display name (any language, accents ignored), a domain hint, a scope or the host; an email address searches its domain. By display name; public, as the sign-in page is.",
    tags: ['saml'],
    auth: 'public',
    params: Type.Object({
      q: Type.Optional(Type.String({ maxLength: 200, description: 'Words, a domain or an email address.' })),
      start: Type.Optional(Type.Integer({ minimum: 1, description: '1-based. Default 1.' })),
      num: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 20, at most 100.' })),
      lang: Type.Optional(Type.String({ maxLength: 35, description: 'Preferred language of the names.' })),
    }),
    response: Type.Object({
      total: Type.Integer(),
      start: Type.Integer(),
      num: Type.Integer(),
      nextStart: Type.Integer(),
      identityProviders: Type.Array(Entry),
    }),
    handler: async (_req, args, reply) => {
      const r = await discovery.search(args.q ?? '', args.start ?? 1, args.num ?? 20, args.lang ?? '');
      if (!r) throw noFederation();
      reply.header('cache-control', 'no-store');
      return r;
    },
  });

  route(app, {
    method: 'GET',
    url: LOGO_PATH,
    summary:
      "An identity provider's logo (mdui:Logo), fetched by the portal through its guarded client and cached: PNG, JPEG, GIF, WebP or ICO only; 404 when it has none or it cannot be had.",
    tags: ['saml'],
    auth: 'public',
    params: Type.Object({ entityID: Type.String({ maxLength: 1024, description: 'The IdP.' }) }),
    response: fileResponse('The logo.', [
      'image/png',
      'image/jpeg',
      'image/gif',
      'image/webp',
      'image/x-icon',
    ]),
    handler: async (_req, args, reply) => {
      const logo = await discovery.logo(args.entityID);
      // A plain 404 (an <img> reads the status, not an ArcGIS error body).
      if (!logo) return reply.code(404).header('cache-control', 'public, max-age=3600').send();
      return reply
        .type(logo.type)
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .send(logo.body);
    },
  });

  route(app, {
    method: 'GET',
    url: SCRIPT_PATH,
    summary: "The chooser page's script (search as you type, the last choice).",
    tags: ['saml'],
    auth: 'public',
    response: fileResponse('JavaScript.', ['text/javascript']),
    handler: (_req, _args, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('x-content-type-options', 'nosniff')
        .send(CHOOSER_SCRIPT),
  });

  route(app, {
    method: 'GET',
    url: '/sharing/rest/oauth2/saml/discofeed',
    summary:
      "The DiscoFeed of the organisation's federation login (Shibboleth SP's JSON format, for discovery services such as the SWITCH embedded WAYF or DiscoJuice): an array of {entityID, DisplayNames [{value, lang}], Descriptions, Logos [{value, height, width, lang}]}, one per indexed identity provider. Public, as service providers publish it.",
    tags: ['saml'],
    auth: 'public',
    response: fileResponse('JSON.', ['application/json']),
    handler: async (req, _args, reply) => {
      const feed = await discovery.discoFeed();
      if (!feed) throw noFederation();
      reply
        .header('etag', feed.etag)
        .header('cache-control', 'public, max-age=300')
        .header('access-control-allow-origin', '*');
      if (req.headers['if-none-match'] === feed.etag) {
        feed.body.destroy();
        return reply.code(304).send();
      }
      return reply.type('application/json; charset=utf-8').send(feed.body);
    },
  });
}
