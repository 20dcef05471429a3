import type { FastifyReply } from 'fastify';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Step } from '../../kernel/pipeline/pipeline.ts';
import { type ExternalSignIn, PageError, type WebSessions } from '../../oauth/module.ts';
import { type Discovery, samlDsUrl } from '../discovery/discovery.ts';
import {
  SamlIdpNotInFederation,
  SamlIdpRequired,
  SamlLoginChanged,
  SamlNoLogin,
  SamlRelayStateMismatch,
} from '../errors.ts';
import { derToPem } from '../logins/certificates.ts';
import { BINDING, type Endpoint } from '../logins/idp-metadata.ts';
import type { SamlLogin } from '../logins/login.ts';
import type { LoginRegistry } from '../logins/registry.ts';
import type { LogoutStore } from '../logout/store.ts';
import type { SpKeys } from '../sp/keys.ts';
import { describeSp, type SpDescription, validationSp } from '../sp/service-provider.ts';
import type { NewRequest } from '../store/request-store.ts';
import type { SamlValidation } from '../validate/context.ts';
import type { IdpLookup, TrustedIdp, VerifiedAssertion } from '../validate/types.ts';
import type { ValidationOutcome } from '../validate/validate.ts';
import { authnRequestXml, newRequestId, postBindingValue, redirectBindingUrl } from './authn-request.ts';

/** A federation's IdP as the federations index has it (certificates as Base64 DER). */
export interface IndexedIdp {
  entityId: string;
  singleSignOnServices: Endpoint[];
  /** Its SingleLogoutService endpoints (where a LogoutRequest or LogoutResponse for it goes). */
  singleLogoutServices: Endpoint[];
  signingCertificates: string[];
}

/** What a federation login reads of the federations index. */
export interface FederationIndexPort {
  identityProvider(federationId: string, entityId: string): Promise<IndexedIdp | undefined>;
}

/** The account step: identity's samlAccount (automatic creation, invitation, profile update). */
export interface SamlAccountsPort {
  samlAccount(s: {
    idpEntityId: string;
    nameId: string;
    givenName?: string;
    surname?: string;
    email?: string;
    signUpMode: 'Automatic' | 'Invitation';
    role?: string;
    updateProfile: boolean;
    claimUnbound?: boolean;
  }): Promise<{
    id: string;
    username: string;
    token_epoch: number | string | bigint;
    created: number | string | bigint;
    last_login: number | string | bigint;
  }>;
}

/** The groups a login gives new accounts (content's addUserToGroups, as the portal). */
export interface SamlGroupsPort {
  addUserToGroups(
    username: string,
    groupIds: readonly string[],
  ): Promise<{ added: string[]; missing: string[] }>;
}

export interface SignInDeps {
  registry: LoginRegistry;
  keys: SpKeys;
  baseUrl(): string;
  now(): number;
  flow: ExternalSignIn;
  record(r: NewRequest, now: number): Promise<void>;
  validate(
    samlResponse: string,
    idps: IdpLookup,
    sp: ReturnType<typeof validationSp>,
    more?: readonly Step<SamlValidation>[],
  ): Promise<ValidationOutcome>;
  federations: FederationIndexPort | undefined;
  accounts: SamlAccountsPort;
  groups: SamlGroupsPort;
  /** Opens the web UI's session for an IdP-initiated sign-in. */
  sessions: Pick<WebSessions, 'open'>;
  /** Where each SAML sign-in's IdP, NameID and SessionIndex are remembered (for logout). */
  logout: Pick<LogoutStore, 'recordSignIn'>;
  log: { warn(obj: object, msg: string): void };
  /** The built-in chooser of a federation's IdPs (saml/discovery). */
  discovery?: Pick<Discovery, 'sendChooser'> | undefined;
}

export interface AuthorizeArgs {
  oauth_state?: string | undefined;
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  response_type?: string | undefined;
  state?: string | undefined;
  expiration?: number | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
  idp?: string | undefined;
  entityID?: string | undefined;
  /** The built-in chooser's search (its form without script). */
  q?: string | undefined;
  /** 'returned': back from the federation's discovery service (without a choice: the built-in chooser). */
  ds?: string | undefined;
}

async function requireLogin(registry: LoginRegistry): Promise<SamlLogin> {
  const login = await registry.current();
  if (!login) throw new MeridianError(SamlNoLogin);
  return login;
}

/** The IdP a sign-in goes to: the login's own, or the federation's one chosen (undefined: discovery first). */
async function targetIdp(
  d: SignInDeps,
  login: SamlLogin,
  chosen: string | undefined,
): Promise<{ entityId: string | null; sso: Endpoint[]; wantsSigned: boolean } | undefined> {
  if (login.kind === 'idp') {
    const desc = login.idp!.description;
    return {
      entityId: desc.entityId,
      sso: desc.singleSignOnServices,
      wantsSigned: desc.wantAuthnRequestsSigned,
    };
  }
  if (!chosen) return undefined;
  const fid = login.federation?.federationId;
  const found = fid && d.federations ? await d.federations.identityProvider(fid, chosen) : undefined;
  if (!found)
    throw new MeridianError(
      SamlIdpNotInFederation,
      `${JSON.stringify(chosen.slice(0, 200))} is not an identity provider of ${login.name}. ${SamlIdpNotInFederation.fix}`,
    );
  return { entityId: found.entityId, sso: found.singleSignOnServices, wantsSigned: false };
}

/**
 * GET (Redirect binding) or POST (POST binding) oauth2/saml/authorize: the pending OAuth
 * authorization (oauth_state) or a new one (client_id…), the AuthnRequest recorded with its
 * transaction, then the browser sent to the IdP. RelayState is the transaction's id.
 */
export async function startSamlSignIn(
  d: SignInDeps,
  args: AuthorizeArgs,
  method: 'GET' | 'POST',
  reply: FastifyReply,
): Promise<FastifyReply> {
  const login = await requireLogin(d.registry);
  let oauthState: string;
  if (args.oauth_state) {
    oauthState = (await d.flow.pending(args.oauth_state)).id;
  } else {
    const begun = await d.flow.begin(args);
    if (begun.kind === 'redirect')
      return reply.header('cache-control', 'no-store').redirect(begun.location, 302);
    oauthState = begun.authorizationId;
  }
  const sp = describeSp(d.baseUrl(), login);
  const idp = await targetIdp(d, login, args.idp ?? args.entityID);
  if (!idp) {
    // SAMLDS: the discovery service sends the browser back here with idp=<entityID> (checked
    // against the index above); else, or back without a choice, the built-in chooser.
    const ds = login.federation?.discoveryServiceUrl;
    if (ds && args.ds !== 'returned')
      return reply
        .header('cache-control', 'no-store')
        .redirect(samlDsUrl(ds, sp.entityId, sp.authorizeUrl, oauthState), 302);
    if (!d.discovery) throw new MeridianError(SamlIdpRequired);
    return d.discovery.sendChooser(reply, login, oauthState, args.q ?? '', '');
  }
  const byBinding = (b: string) => idp.sso.find((e) => e.binding === b);
  const endpoint =
    method === 'POST'
      ? (byBinding(BINDING.post) ?? byBinding(BINDING.redirect))
      : (byBinding(BINDING.redirect) ?? byBinding(BINDING.post));
  if (!endpoint)
    throw new MeridianError(SamlIdpRequired, 'The identity provider has no usable sign-in endpoint.');
  const now = d.now();
  const sign = login.settings.supportSignedRequest || idp.wantsSigned;
  const key = sign ? await d.keys.active() : undefined;
  const input = {
    destination: endpoint.location,
    spEntityId: sp.entityId,
    acsUrl: sp.acsUrls[0],
    now,
    signWith: key
      ? { keyPem: key.keyPem, certPem: key.certPem, sha256: login.settings.useSHA256 }
      : undefined,
  };
  const id = newRequestId();
  const xml = authnRequestXml(id, input);
  await d.record({ id, login: login.id, oauthTransactionId: oauthState, idpEntityId: idp.entityId }, now);
  if (endpoint.binding === BINDING.redirect)
    return reply
      .header('cache-control', 'no-store')
      .redirect(redirectBindingUrl(xml, input, oauthState), 302);
  return d.flow.sendAutoPost(reply, `Signing in with ${login.name}`, endpoint.location, {
    SAMLRequest: postBindingValue(xml, input),
    RelayState: oauthState,
  });
}

/** The IdPs a response may come from, with the keys of the login's metadata only. */
export function idpLookup(d: SignInDeps, login: SamlLogin, decryptionKeys: string[]): IdpLookup {
  const trusted = (entityId: string, certs: string[]): TrustedIdp => ({
    entityId,
    signingCertificates: certs,
    allowSha1: !login.settings.useSHA256,
    requireSigned: 'assertion',
    decryptionKeys,
    allowUnsolicited: login.settings.allowIdpInitiated,
  });
  return {
    async byEntityId(entityId) {
      if (login.kind === 'idp') {
        const desc = login.idp!.description;
        if (desc.entityId !== null && desc.entityId !== entityId) return undefined;
        return trusted(entityId, desc.signingCertificates);
      }
      const fid = login.federation?.federationId;
      if (!fid || !d.federations) return undefined;
      const found = await d.federations.identityProvider(fid, entityId);
      if (!found?.signingCertificates.length) return undefined;
      return trusted(
        found.entityId,
        found.signingCertificates.map((b) => derToPem(Buffer.from(b, 'base64'))),
      );
    },
  };
}

const ATTRIBUTES = {
  email: [
    'email',
    'mail',
    'emailaddress',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    'urn:oid:0.9.2342.19200300.100.1.3',
  ],
  givenName: [
    'givenname',
    'firstname',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    'urn:oid:2.5.4.42',
  ],
  surname: [
    'surname',
    'sn',
    'lastname',
    'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
    'urn:oid:2.5.4.4',
  ],
};

function attribute(a: VerifiedAssertion, names: readonly string[]): string | undefined {
  for (const [k, values] of Object.entries(a.attributes))
    if (names.includes(k.toLowerCase()) && values[0]?.trim()) return values[0].trim();
  return undefined;
}

/** Where an IdP-initiated sign-in lands: the portal's home app. */
export const HOME_APP = '/home/';

/**
 * POST oauth2/saml/signin (and signin2): the response validated for the login's IdPs and this
 * SP, then, in the same traced run (pipeline saml.response), the sign-in's own steps: the
 * request belongs to this login (or is IdP-initiated, for a login that allows it), the account
 * found or created by the login's rules (a new one joins the login's groups), then the OAuth
 * authorization the AuthnRequest was sent for finished as the password sign-in finishes it, or,
 * IdP-initiated, a web session of the portal's web UI opened and the browser sent to its home
 * app. Each SAML sign-in's IdP, NameID and SessionIndex are remembered under its grant (for
 * logout). Answers where the browser goes next; throws the refusal (the portal's error page).
 */
export async function finishSamlSignIn(
  d: SignInDeps,
  samlResponse: string,
  relayState: string | undefined,
  reply: FastifyReply,
): Promise<string> {
  const login = await requireLogin(d.registry);
  const sp: SpDescription = describeSp(d.baseUrl(), login);
  const keys = await d.keys.keys();
  const state: {
    user?: Awaited<ReturnType<SamlAccountsPort['samlAccount']>>;
    created?: boolean;
    location?: string;
  } = {};
  const s = login.settings;
  const assertionOf = (ctx: SamlValidation): VerifiedAssertion => {
    if (!ctx.result) throw new Error('SAML sign-in: the assertion is not there yet (steps out of order)');
    return ctx.result;
  };
  const steps: Step<SamlValidation>[] = [
    {
      name: 'check_sign_in',
      run(ctx) {
        const request = ctx.request!;
        if (request.unsolicited) return 'IdP-initiated: lands on the home app';
        if (request.login !== login.id) throw new MeridianError(SamlLoginChanged);
        if (relayState !== undefined && relayState !== '' && relayState !== request.oauthTransactionId)
          throw new MeridianError(SamlRelayStateMismatch);
        return `login ${login.id}`;
      },
    },
    {
      name: 'provision_account',
      async run(ctx) {
        const assertion = assertionOf(ctx);
        const email = attribute(assertion, ATTRIBUTES.email);
        const givenName = attribute(assertion, ATTRIBUTES.givenName);
        const surname = attribute(assertion, ATTRIBUTES.surname);
        const user = await d.accounts.samlAccount({
          idpEntityId: assertion.idpEntityId,
          nameId: assertion.nameId,
          ...(givenName ? { givenName } : {}),
          ...(surname ? { surname } : {}),
          ...(email ? { email } : {}),
          signUpMode: s.signUpMode,
          role: s.roleId,
          updateProfile: s.updateProfileAtSignin,
          claimUnbound: login.kind === 'idp',
        });
        state.user = user;
        // An account made by this sign-in was created and signed in at the same instant.
        state.created = Number(user.created) === Number(user.last_login);
        return `account ${user.username}${state.created ? ' created' : ''}`;
      },
    },
    {
      name: 'join_groups',
      async run() {
        if (!state.created || !s.groups.length) return 'nothing to join';
        const r = await d.groups.addUserToGroups(state.user!.username, s.groups);
        if (r.missing.length) {
          d.log.warn(
            { login: login.id, missing: r.missing },
            'groups of the SAML login no longer exist; a new account was not added to them',
          );
          return {
            detail: `joined ${r.added.length}; missing groups ${r.missing.join(', ')}`,
            flagged: true,
          };
        }
        return `joined ${r.added.length} group(s)`;
      },
    },
    {
      name: 'finish_sign_in',
      async run(ctx) {
        const assertion = assertionOf(ctx);
        const request = ctx.request!;
        const u = state.user!;
        const user = { id: u.id, username: u.username, token_epoch: Number(u.token_epoch) };
        const remember = (grantId: string, sessionId?: string, expires?: number) =>
          d.logout.recordSignIn(
            {
              grant_id: grantId,
              ...(sessionId ? { session_id: sessionId } : {}),
              ...(expires ? { expires } : {}),
              login: login.id,
              idp_entity_id: assertion.idpEntityId,
              name_id: assertion.nameId,
              name_id_format: assertion.nameIdFormat,
              session_index: assertion.sessionIndex,
              user_id: u.id,
            },
            d.now(),
          );
        if (request.unsolicited) {
          const session = await d.sessions.open(reply, user);
          await remember(session.grantId, session.sessionId, session.expires);
          state.location = HOME_APP;
          return 'web session opened (IdP-initiated)';
        }
        try {
          state.location = await d.flow.complete(request.oauthTransactionId, user, (grantId) =>
            remember(grantId),
          );
        } catch (err) {
          // The OAuth flow's page errors carry the error (with its code) for the trace.
          if (err instanceof PageError) throw err.error;
          throw err;
        }
        return 'authorization finished';
      },
    },
  ];
  const outcome = await d.validate(
    samlResponse,
    idpLookup(
      d,
      login,
      keys.map((k) => k.keyPem),
    ),
    validationSp(sp),
    steps,
  );
  if (!outcome.ok) throw outcome.error;
  return state.location!;
}
