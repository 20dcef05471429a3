import type { FastifyReply } from 'fastify';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { ExternalSignIn, SignOutListener, WebSessions } from '../../oauth/module.ts';
import { SamlNoLogin } from '../errors.ts';
import { BINDING, type Endpoint } from '../logins/idp-metadata.ts';
import type { SamlLogin } from '../logins/login.ts';
import type { LoginRegistry } from '../logins/registry.ts';
import { postBindingValue, redirectBindingUrl } from '../signin/authn-request.ts';
import type { FederationIndexPort } from '../signin/sign-in.ts';
import type { SpKeys } from '../sp/keys.ts';
import { describeSp } from '../sp/service-provider.ts';
import type { IdpLookup, ReplayCache } from '../validate/types.ts';
import {
  SamlLogoutExpired,
  SamlLogoutIdpFailed,
  SamlLogoutInResponseToUnknown,
  SamlLogoutMalformed,
  SamlLogoutReplayed,
} from './errors.ts';
import { logoutRequestXml, logoutResponseXml, newMessageId, STATUS_SUCCESS } from './messages.ts';
import { type IncomingLogout, receiveLogout } from './receive.ts';
import type { LogoutStore } from './store.ts';

/** How old an IdP's LogoutRequest may be (besides the clock skew). */
const MAX_REQUEST_AGE_MS = 10 * 60_000;

export interface LogoutDeps {
  registry: LoginRegistry;
  keys: SpKeys;
  store: LogoutStore;
  replay: ReplayCache;
  sessions: Pick<WebSessions, 'end'>;
  flow: Pick<ExternalSignIn, 'sendAutoPost' | 'sendSignedOut'>;
  /** The login's IdPs with their metadata keys (the sign-in's lookup). */
  idps(login: SamlLogin): IdpLookup;
  /** A federation login's IdPs (their logout endpoints). */
  federations: FederationIndexPort | undefined;
  baseUrl(): string;
  now(): number;
  skewMs(): number;
  maxBytes(): number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * The IdP's single logout endpoint (Redirect binding first, else HTTP-POST). One IdP: the
 * login's logoutUrl, else its metadata's. A federation: that IdP's own, from the federation
 * metadata (or MDQ), else the login's logoutUrl.
 */
async function idpLogoutEndpoint(
  d: LogoutDeps,
  login: SamlLogin,
  idpEntityId: string,
): Promise<Endpoint | undefined> {
  const byUrl = login.settings.logoutUrl
    ? { binding: BINDING.redirect, location: login.settings.logoutUrl }
    : undefined;
  let slo: readonly Endpoint[] = [];
  if (login.kind === 'idp') {
    if (byUrl || !login.idp) return byUrl;
    const desc = login.idp.description;
    if (desc.entityId !== null && desc.entityId !== idpEntityId) return undefined;
    slo = desc.singleLogoutServices;
  } else {
    const fid = login.federation?.federationId;
    try {
      const found = fid && d.federations ? await d.federations.identityProvider(fid, idpEntityId) : undefined;
      slo = found?.singleLogoutServices ?? [];
    } catch (err) {
      d.log.warn({ err, idp: idpEntityId }, "the federation IdP's logout endpoint could not be looked up");
    }
  }
  return (
    slo.find((e) => e.binding === BINDING.redirect) ?? slo.find((e) => e.binding === BINDING.post) ?? byUrl
  );
}

async function signer(d: LogoutDeps, login: SamlLogin) {
  if (!login.settings.supportSignedRequest) return undefined;
  const key = await d.keys.active();
  return { keyPem: key.keyPem, certPem: key.certPem, sha256: login.settings.useSHA256 };
}

/**
 * GET oauth2/signout has ended a web session: when it was a SAML sign-in of the current login
 * and the login propagates logout (supportsLogoutRequest), a LogoutRequest for its NameID and
 * SessionIndex goes to the logout endpoint of the IdP that signed the person in (HTTP-Redirect,
 * query-signed with the SP key when supportSignedRequest; else HTTP-POST by an auto-posting
 * form, signed inside the XML; RelayState is the request's ID). The request is recorded with
 * where the browser goes once the IdP answers.
 */
export function spSignOut(d: LogoutDeps): SignOutListener {
  return async ({ sessionId, next }) => {
    const s = await d.store.bySession(sessionId);
    if (!s) return undefined;
    await d.store.remove([s.grant_id]);
    const login = await d.registry.current();
    if (!login || login.id !== s.login || !login.settings.supportsLogoutRequest) return undefined;
    const endpoint = await idpLogoutEndpoint(d, login, s.idp_entity_id);
    if (!endpoint) return undefined;
    const now = d.now();
    const id = newMessageId();
    const xml = logoutRequestXml({
      id,
      destination: endpoint.location,
      spEntityId: describeSp(d.baseUrl(), login).entityId,
      now,
      nameId: s.name_id,
      nameIdFormat: s.name_id_format,
      sessionIndex: s.session_index,
    });
    await d.store.recordLogoutRequest(
      { id, login: login.id, idpEntityId: s.idp_entity_id, returnTo: next },
      now,
    );
    const signWith = await signer(d, login);
    if (endpoint.binding === BINDING.redirect)
      return redirectBindingUrl(xml, { destination: endpoint.location, signWith }, id);
    return {
      title: 'Signing out',
      action: endpoint.location,
      fields: { SAMLRequest: postBindingValue(xml, { signWith }, 'LogoutRequest'), RelayState: id },
    };
  };
}

/**
 * oauth2/saml/signout (GET: HTTP-Redirect, POST: HTTP-POST): the IdP's LogoutResponse to a
 * LogoutRequest this portal sent (then the signed-out page, or the app's registered redirect
 * URI), or the IdP's own LogoutRequest: every portal sign-in of that NameID in those IdP
 * sessions (all of its SAML sign-ins when no SessionIndex is named) ends on every node (web
 * sessions ended, their grants revoked), and a LogoutResponse goes back to the IdP's logout
 * URL (signed when supportSignedRequest). Refusals throw (saml.logout_*).
 */
export async function handleLogout(
  d: LogoutDeps,
  m: IncomingLogout,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const login = await d.registry.current();
  if (!login) throw new MeridianError(SamlNoLogin);
  const sp = describeSp(d.baseUrl(), login);
  const v = await receiveLogout(m, {
    idps: d.idps(login),
    signoutUrl: sp.signoutUrl,
    maxBytes: d.maxBytes(),
  });
  const now = d.now();
  if (v.kind === 'response') {
    const sent = v.inResponseTo ? await d.store.consumeLogoutRequest(v.inResponseTo, now) : undefined;
    if (!sent || sent.idpEntityId !== v.idp.entityId)
      throw new MeridianError(
        SamlLogoutInResponseToUnknown,
        `The LogoutResponse answers ${v.inResponseTo ? JSON.stringify(v.inResponseTo.slice(0, 100)) : 'no request'}, not a LogoutRequest this portal sent to ${v.idp.entityId} and still waiting. ${SamlLogoutInResponseToUnknown.fix}`,
      );
    if (v.status !== STATUS_SUCCESS) {
      d.log.warn(
        { idp: v.idp.entityId, status: v.status.slice(0, 200) },
        'the IdP did not end its session at logout',
      );
      throw new MeridianError(SamlLogoutIdpFailed);
    }
    if (sent.returnTo) return reply.header('cache-control', 'no-store').redirect(sent.returnTo, 303);
    return d.flow.sendSignedOut(reply);
  }
  const skew = d.skewMs();
  if (v.issueInstant > now + skew || v.issueInstant < now - skew - MAX_REQUEST_AGE_MS)
    throw new MeridianError(
      SamlLogoutExpired,
      `The LogoutRequest was issued at ${new Date(v.issueInstant).toISOString()}; now is ${new Date(now).toISOString()}. ${SamlLogoutExpired.fix}`,
    );
  if (v.notOnOrAfter !== undefined && now - skew >= v.notOnOrAfter)
    throw new MeridianError(
      SamlLogoutExpired,
      `The LogoutRequest expired at ${new Date(v.notOnOrAfter).toISOString()}. ${SamlLogoutExpired.fix}`,
    );
  if (v.id.length > 200)
    throw new MeridianError(
      SamlLogoutMalformed,
      `The LogoutRequest's ID is too long. ${SamlLogoutMalformed.fix}`,
    );
  const remembered = await d.replay.remember(
    v.idp.entityId,
    `logout ${v.id}`,
    v.issueInstant + MAX_REQUEST_AGE_MS + 2 * skew,
    now,
  );
  if (!remembered)
    throw new MeridianError(
      SamlLogoutReplayed,
      `The LogoutRequest ${JSON.stringify(v.id.slice(0, 100))} of ${v.idp.entityId} was already received. ${SamlLogoutReplayed.fix}`,
    );
  const ended = await d.store.matching(v.idp.entityId, v.nameId, v.sessionIndexes);
  const grantIds = ended.map((s) => s.grant_id);
  await d.sessions.end({
    sessionIds: ended.flatMap((s) => (s.session_id ? [s.session_id] : [])),
    grantIds,
  });
  await d.store.remove(grantIds);
  d.log.info(
    { idp: v.idp.entityId, sessions: ended.length },
    'an IdP-initiated SAML logout ended portal sign-ins',
  );
  const endpoint = await idpLogoutEndpoint(d, login, v.idp.entityId);
  if (!endpoint) return d.flow.sendSignedOut(reply);
  const destination = endpoint.responseLocation ?? endpoint.location;
  const xml = logoutResponseXml({
    id: newMessageId(),
    destination,
    spEntityId: sp.entityId,
    now,
    inResponseTo: v.id,
  });
  const signWith = await signer(d, login);
  if (endpoint.binding === BINDING.redirect)
    return reply
      .header('cache-control', 'no-store')
      .redirect(redirectBindingUrl(xml, { destination, signWith }, v.relayState, 'SAMLResponse'), 302);
  return d.flow.sendAutoPost(reply, 'Signing out', destination, {
    SAMLResponse: postBindingValue(xml, { signWith }, 'LogoutResponse'),
    ...(v.relayState !== undefined ? { RelayState: v.relayState } : {}),
  });
}
