import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { numParam, START_PARAM } from '../http/paging-params.ts';
import { fileResponse, route, uploadOf } from '../http/route.ts';
import { Success } from '../http/schemas.ts';
import { NotFound } from '../kernel/errors/common.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import type { PipelineRunner } from '../kernel/pipeline/runner.ts';
import { PageError } from '../oauth/module.ts';
import { SamlMetadataInvalid } from './errors.ts';
import { FederationLoginJson, federationJson, IdpLoginJson, idpJson } from './login-json.ts';
import { MAX_IDP_METADATA_BYTES } from './logins/idp-metadata.ts';
import type { SamlLogin } from './logins/login.ts';
import type { FederationParams, IdpParams, LoginRegistry, MetadataFile } from './logins/registry.ts';
import { handleLogout, type LogoutDeps } from './logout/logout.ts';
import { listSignInFailures, SignInFailureListJson } from './signin/failures.ts';
import { finishSamlSignIn, type SignInDeps, startSamlSignIn } from './signin/sign-in.ts';
import type { SpKeys } from './sp/keys.ts';
import { describeSp, SAML_PATHS, spMetadata } from './sp/service-provider.ts';

export interface SamlRoutesContext extends SignInDeps {
  registry: LoginRegistry;
  keys: SpKeys;
  orgId(): Promise<string>;
  logoutDeps: LogoutDeps;
  pipelines: Pick<PipelineRunner, 'list'>;
  keepDays(): number;
}

const Text = (description: string, maxLength = 2048) =>
  Type.Optional(Type.String({ description, maxLength }));
const Flag = (description: string) => Text(`true or false: ${description}`, 8);

const ADVANCED = {
  signUpMode: Text(
    'Automatic (accounts are created at first sign-in) or Invitation (administrators add them).',
    16,
  ),
  entityId: Text(
    "The service provider entity ID the IdP knows this portal by (default: the portal's host and context, ArcGIS style).",
    1024,
  ),
  roleId: Text('Role of accounts created at sign-in: org_user (default), org_publisher or org_admin.', 64),
  level: Text('User level of new accounts (1 or 2).', 4),
  groups: Text('Groups new accounts join: ids, comma-separated or a JSON array.', 8000),
  logoutUrl: Text("The IdP's logout URL (with supportsLogoutRequest)."),
  encryptionSupported: Flag(
    'the IdP encrypts assertions for the portal (its certificate is in the SP metadata).',
  ),
  supportSignedRequest: Flag('the portal signs its AuthnRequests.'),
  useSHA256: Flag(
    'requests are signed with RSA-SHA256 (default true; false: RSA-SHA1, and SHA-1 signatures are accepted).',
  ),
  supportsLogoutRequest: Flag('signing out of the portal signs out of the IdP (propagate logout).'),
  supportLogoutRequest: Flag('older spelling of supportsLogoutRequest.'),
  updateProfileAtSignin: Flag('given name, surname and email follow the IdP at each sign-in (default true).'),
  allowIdpInitiated: Flag(
    'IdP-initiated sign-in: responses that answer no request are accepted from the IdP (every other check still applies) and land on the home app (default false).',
  ),
};

const IdpRegisterParams = Type.Object({
  name: Text('Shown on the sign-in page ("Using your NAME account").', 256),
  ...ADVANCED,
  userLicenseType: Text('User type of new accounts (kept as given).', 64),
  userType: Text('Same as userLicenseType.', 64),
  idpMetadataUrl: Text("The IdP's metadata URL (fetched through the portal's guarded client)."),
  bindingUrl: Text("Entered fields: the IdP's HTTP-Redirect sign-in URL."),
  postBindingUrl: Text("Entered fields: the IdP's HTTP-POST sign-in URL."),
  bindingPostUrl: Text('Same as postBindingUrl (the ArcGIS Python API sends this name).'),
  certificate: Text("Entered fields: the IdP's signing certificate (PEM or Base64).", 32000),
  encryptionCertificate: Text("Entered fields: the IdP's encryption certificate (PEM or Base64).", 32000),
  idpEntityId: Text(
    "Entered fields: the IdP's entity ID (the Issuer of its responses); without it any Issuer is accepted when signed with the certificate.",
    1024,
  ),
});

const FederationRegisterParams = Type.Object({
  name: Text('The federation, shown on the sign-in page.', 256),
  ...ADVANCED,
  userType: Text('User type of new accounts (kept as given).', 64),
  userLicenseType: Text('Same as userType.', 64),
  discoveryServiceUrl: Text("The federation's discovery service (SAMLDS), for choosing an institution."),
  metadataServiceUrl: Text(
    "The URL of the federation's signed metadata aggregate (may be left out when mdqUrl is given).",
  ),
  mdqUrl: Text(
    "Meridian's: the base URL of the federation's MDQ service (Metadata Query Protocol): an identity provider not in the aggregate (or every one, without an aggregate) is fetched from <mdqUrl>/entities/<percent-encoded entity ID>, verified with the federation's certificate and cached. Empty on update: removed.",
  ),
  certificate: Text('The certificate that signs the aggregate (PEM or Base64).', 32000),
});

const METADATA_FILE = { idpMetadataFile: "The IdP's metadata, as an XML file." };

const SpKeyJson = Type.Object({
  alias: Type.String({ description: "Its alias in the portal's certificate store." }),
  state: Type.String({
    description: 'active (signs; published) or next (published beside it during a rollover).',
  }),
  created: Type.Number(),
  subject: Type.String(),
  notAfter: Type.Number(),
  sha256: Type.String(),
});
const SpKeysJson = Type.Object({
  keys: Type.Array(SpKeyJson),
  rollover: Type.String({ description: 'The rollover procedure.' }),
});
const ROLLOVER =
  '1. POST portals/self/sp/keys/add: a next key is made and published beside the active one (the metadata lists both; both decrypt). 2. Give the IdP (or the federation) the new SP metadata (portals/self/sp/metadata). 3. Once the IdP uses it, POST portals/self/sp/keys/retire: the old key is removed and the next one signs from then on.';

async function metadataFile(req: FastifyRequest): Promise<MetadataFile | undefined> {
  const f = uploadOf(req, 'idpMetadataFile');
  if (!f) return undefined;
  if (f.size > MAX_IDP_METADATA_BYTES)
    throw new MeridianError(
      SamlMetadataInvalid,
      `The metadata file is larger than ${MAX_IDP_METADATA_BYTES} bytes. ${SamlMetadataInvalid.fix}`,
    );
  return { filename: f.filename, bytes: await f.read() };
}

export function registerSamlRoutes(app: FastifyInstance, ctx: SamlRoutesContext): void {
  /** portals/self/… and portals/<the organisation's id>/… are the same. */
  const portalOf = async (req: FastifyRequest) => {
    const { portalId } = req.params as { portalId: string };
    if (portalId !== 'self' && portalId !== (await ctx.orgId()))
      throw new MeridianError(NotFound, `There is no portal ${JSON.stringify(portalId.slice(0, 64))} here.`);
  };
  const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
  const spEntityId = (l: SamlLogin) => describeSp(ctx.baseUrl(), l).entityId;
  const P = '/sharing/rest/portals/:portalId';

  route(app, {
    method: ['GET', 'POST'],
    url: `${P}/idp`,
    summary: "The organisation's SAML login when it is one identity provider, with its id; {} otherwise.",
    tags: ['saml'],
    auth: 'admin',
    response: Type.Union([IdpLoginJson, Type.Object({})]),
    handler: async (req) => {
      await portalOf(req);
      const l = await ctx.registry.current();
      return l?.kind === 'idp' ? idpJson(l, spEntityId(l)) : {};
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/idp/register`,
    summary:
      'Registers the SAML login of one identity provider (metadata URL, metadata file, or entered fields, and the advanced options); refused when the organisation already has a SAML login. Metadata and certificates are checked first: nothing is stored unless all is valid.',
    tags: ['saml'],
    auth: 'admin',
    params: IdpRegisterParams,
    files: METADATA_FILE,
    response: Success({ id: Type.String() }),
    handler: async (req, args) => {
      await portalOf(req);
      const l = await ctx.registry.registerIdp(args as IdpParams, await metadataFile(req));
      return { success: true as const, id: l.id };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/idp/:id/update`,
    summary:
      'Changes the identity provider login: new metadata (URL or file) or entered fields replace the IdP description; other parameters change only what they name.',
    tags: ['saml'],
    auth: 'admin',
    params: IdpRegisterParams,
    files: METADATA_FILE,
    response: Success({ id: Type.String() }),
    handler: async (req, args) => {
      await portalOf(req);
      const l = await ctx.registry.updateIdp(idOf(req), args as IdpParams, await metadataFile(req));
      return { success: true as const, id: l.id };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/idp/:id/unregister`,
    summary: 'Removes the identity provider login: SAML sign-in stops; the accounts stay.',
    tags: ['saml'],
    auth: 'admin',
    response: Success({}),
    handler: async (req) => {
      await portalOf(req);
      await ctx.registry.unregister('idp', idOf(req));
      return { success: true as const };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${P}/idp/federation`,
    summary:
      "The organisation's SAML login when it is a federation of identity providers, with its id; {} otherwise.",
    tags: ['saml'],
    auth: 'admin',
    response: Type.Union([FederationLoginJson, Type.Object({})]),
    handler: async (req) => {
      await portalOf(req);
      const l = await ctx.registry.current();
      return l?.kind === 'federation' ? federationJson(l, spEntityId(l)) : {};
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/idp/federation/register`,
    summary:
      "Registers a federation of identity providers as the SAML login (its aggregate's URL and signing certificate, its discovery service) and hands the aggregate to the federations module, which loads it as a job; refused when the organisation already has a SAML login.",
    tags: ['saml'],
    auth: 'admin',
    params: FederationRegisterParams,
    response: Success({ id: Type.String() }),
    handler: async (req, args) => {
      await portalOf(req);
      const l = await ctx.registry.registerFederation(args as FederationParams);
      return { success: true as const, id: l.id };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/idp/federation/:id/update`,
    summary: 'Changes the federation login; a new aggregate URL or certificate reloads the aggregate.',
    tags: ['saml'],
    auth: 'admin',
    params: FederationRegisterParams,
    response: Success({ id: Type.String() }),
    handler: async (req, args) => {
      await portalOf(req);
      const l = await ctx.registry.updateFederation(idOf(req), args as FederationParams);
      return { success: true as const, id: l.id };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/idp/federation/:id/unregister`,
    summary:
      'Removes the federation login (and its aggregate source): SAML sign-in stops; the accounts stay.',
    tags: ['saml'],
    auth: 'admin',
    response: Success({}),
    handler: async (req) => {
      await portalOf(req);
      await ctx.registry.unregister('federation', idOf(req));
      return { success: true as const };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${P}/sp/metadata`,
    summary:
      "The portal's SAML service provider metadata (XML, to give the IdP or the federation): entity ID, signing and encryption certificates (both keys during a rollover), single logout (Redirect, POST), NameID formats, assertion consumer services (HTTP-POST: oauth2/saml/signin and signin2), the discovery response. signed=true signs it with the active key.",
    tags: ['saml'],
    auth: 'admin',
    params: Type.Object({ signed: Flag('sign the metadata with the active SP key.') }),
    response: fileResponse('SAML 2.0 metadata of the service provider.', ['application/samlmetadata+xml']),
    handler: async (req, args, reply: FastifyReply) => {
      await portalOf(req);
      const login = await ctx.registry.current();
      const xml = spMetadata(describeSp(ctx.baseUrl(), login), await ctx.keys.keys(), {
        signRequests: login?.settings.supportSignedRequest ?? false,
        sign: args.signed === 'true',
      });
      return reply
        .type('application/samlmetadata+xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="sp-metadata.xml"')
        .header('cache-control', 'no-store')
        .send(xml);
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${P}/sp/keys`,
    summary:
      "The service provider's keys (certificates in the certificate store) and the rollover procedure.",
    tags: ['saml'],
    auth: 'admin',
    response: SpKeysJson,
    handler: async (req) => {
      await portalOf(req);
      return { keys: await ctx.keys.list(), rollover: ROLLOVER };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/sp/keys/add`,
    summary: 'Rollover, step 1: makes the next SP key, published beside the active one.',
    tags: ['saml'],
    auth: 'admin',
    response: SpKeysJson,
    handler: async (req) => {
      await portalOf(req);
      return { keys: await ctx.keys.add(), rollover: ROLLOVER };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/sp/keys/retire`,
    summary:
      'Rollover, last step (once the IdP has the new metadata): removes the old SP key; the next one becomes active.',
    tags: ['saml'],
    auth: 'admin',
    response: SpKeysJson,
    handler: async (req) => {
      await portalOf(req);
      return { keys: await ctx.keys.retire(), rollover: ROLLOVER };
    },
  });

  const pageErrors = async (reply: FastifyReply, fn: () => Promise<FastifyReply>) => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof PageError) return ctx.flow.sendError(reply, err.error);
      if (isMeridianError(err)) return ctx.flow.sendError(reply, err);
      throw err;
    }
  };

  const AuthorizeParams = Type.Object({
    oauth_state: Text('The authorization of the sign-in page (oauth2/authorize).', 64),
    client_id: Text('Without oauth_state: the app, as at oauth2/authorize.', 64),
    response_type: Text('Without oauth_state: code or token.', 16),
    redirect_uri: Text('Without oauth_state: a redirect URI registered for the app.'),
    state: Text('Without oauth_state: returned unchanged to the app.', 4096),
    expiration: Type.Optional(Type.Number({ description: 'Without oauth_state: minutes, clamped.' })),
    code_challenge: Text('Without oauth_state: PKCE S256 challenge.', 128),
    code_challenge_method: Text('PKCE: S256.', 16),
    idp: Text("A federation's identity provider (its entity ID), as the discovery service returns it.", 1024),
    entityID: Text('Same as idp.', 1024),
    q: Text("The built-in chooser's search (a federation, without idp).", 200),
    ds: Text(
      "'returned': back from the federation's discovery service (without idp: the built-in chooser).",
      16,
    ),
    locale: Text('Ignored.', 32),
    style: Text('Ignored.', 32),
    display: Text('Ignored.', 32),
  });

  for (const method of ['GET', 'POST'] as const)
    route(app, {
      method,
      url: '/sharing/rest/oauth2/saml/authorize',
      summary:
        method === 'GET'
          ? 'Starts a SAML sign-in inside an OAuth authorization (oauth_state from the sign-in page, or client_id, redirect_uri, response_type, state directly; idp=<entityID> for a federation): records the AuthnRequest and redirects to the IdP (HTTP-Redirect binding, signed with RSA-SHA256 when enabled; RelayState is the transaction id).'
          : 'The same with the HTTP-POST binding: answers a page that posts the AuthnRequest to the IdP at once (a button without script).',
      tags: ['saml'],
      auth: 'public',
      errors: 'html',
      params: AuthorizeParams,
      response: fileResponse('A redirect to the IdP, or a page posting to it.', ['text/html']),
      handler: (_req, args, reply) => pageErrors(reply, () => startSamlSignIn(ctx, args, method, reply)),
    });

  for (const url of ['/sharing/rest/oauth2/saml/signin', '/sharing/rest/oauth2/saml/signin2'])
    route(app, {
      method: 'POST',
      url,
      summary:
        'The assertion consumer service (HTTP-POST binding): validates the SAMLResponse, finds or creates the account, then finishes the OAuth authorization the request was sent for (302 to the app with a code or token, or the out-of-band page). Any refusal is an HTML page naming the error code; nothing is issued.',
      tags: ['saml'],
      auth: 'public',
      errors: 'html',
      params: Type.Object({
        SAMLResponse: Type.String({ description: 'The response, base64.', maxLength: 16 * 1024 * 1024 }),
        RelayState: Text('The OAuth transaction id the request carried.', 256),
      }),
      response: fileResponse('A redirect to the app, or an error page.', ['text/html']),
      handler: (_req, args, reply) =>
        pageErrors(reply, async () => {
          const next = await finishSamlSignIn(ctx, args.SAMLResponse, args.RelayState, reply);
          return reply.header('cache-control', 'no-store').redirect(next, 302);
        }),
    });

  const LogoutParams = {
    SAMLRequest: Text(
      "The IdP's LogoutRequest (Redirect: DEFLATE and base64; POST: base64).",
      16 * 1024 * 1024,
    ),
    SAMLResponse: Text("The IdP's LogoutResponse to the portal's LogoutRequest.", 16 * 1024 * 1024),
    RelayState: Text('Returned as sent.', 1024),
  };
  route(app, {
    method: 'GET',
    url: SAML_PATHS.signout,
    summary:
      "The single logout endpoint, HTTP-Redirect binding: the IdP's LogoutResponse (query-signed with a key of its metadata; InResponseTo a LogoutRequest this portal sent; then the signed-out page), or its LogoutRequest (query-signed): the portal sign-ins of that NameID and SessionIndex end on every node and a LogoutResponse goes back to the IdP. Refusals are an HTML page naming the code (saml.logout_*).",
    tags: ['saml'],
    auth: 'public',
    errors: 'html',
    params: Type.Object({
      ...LogoutParams,
      SigAlg: Text('The query signature algorithm.', 256),
      Signature: Text('The query signature (base64).', 4096),
    }),
    response: fileResponse('A redirect to the IdP or the app, or a page.', ['text/html']),
    handler: (req, args, reply) =>
      pageErrors(reply, () =>
        handleLogout(
          ctx.logoutDeps,
          {
            binding: 'redirect',
            samlRequest: args.SAMLRequest,
            samlResponse: args.SAMLResponse,
            relayState: args.RelayState,
            rawQuery: req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '',
          },
          reply,
        ),
      ),
  });
  route(app, {
    method: 'POST',
    url: SAML_PATHS.signout,
    summary:
      'The single logout endpoint, HTTP-POST binding: the same, with the message signed inside (an enveloped XML signature verified with the keys of the IdP’s metadata only).',
    tags: ['saml'],
    auth: 'public',
    errors: 'html',
    params: Type.Object(LogoutParams),
    response: fileResponse('A redirect to the app, or a page (posting to the IdP).', ['text/html']),
    handler: (_req, args, reply) =>
      pageErrors(reply, () =>
        handleLogout(
          ctx.logoutDeps,
          {
            binding: 'post',
            samlRequest: args.SAMLRequest,
            samlResponse: args.SAMLResponse,
            relayState: args.RelayState,
          },
          reply,
        ),
      ),
  });

  route(app, {
    method: 'GET',
    url: '/portaladmin/security/saml/signInFailures',
    summary:
      'Failed SAML sign-ins, newest first, from their traces (pipeline saml.response): the time, the error code, the IdP, the step that refused it and why; never message content, tokens, keys or NameIDs. Kept traces.keepDays days. {failures, keepDays, total, start, num, nextStart}.',
    tags: ['portaladmin', 'saml'],
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({ start: START_PARAM, num: numParam(100) }),
    response: SignInFailureListJson,
    handler: (_req, a) => listSignInFailures(ctx.pipelines, { start: a.start, num: a.num }, ctx.keepDays()),
  });
}
