import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Errors of the GIS server's side of federation with a portal. */

export const FederationPropertiesInvalid = defineError({
  code: 'gis.portal_properties_invalid',
  status: 400,
  summary: 'security/config/update was sent portalProperties this server cannot use.',
  fix: 'Send portalProperties as JSON with portalUrl (https://host[:port]), portalId, serverId, portalSecretKey (base64url of 32 bytes) and portalCaChain (PEM certificates); or authenticationTier=GIS_SERVER with portalProperties={} to unfederate.',
});

export const AlreadyFederated = defineError({
  code: 'gis.already_federated',
  status: 409,
  arcgisCode: 400,
  summary: 'This server is already federated with another portal.',
  fix: 'Unfederate it from that portal first (on that portal, or POST admin/security/config/update with authenticationTier=GIS_SERVER and portalProperties={}), then federate it again.',
});

export const PortalUnreachable = defineError({
  code: 'gis.portal_unreachable',
  // 502, so that the API answers HTTP 200 with code 503 in the body (an HTTP 503 means this server is away).
  status: 502,
  arcgisCode: 503,
  summary: 'The portal this server is federated with could not be asked who may use the service.',
  fix: 'Check that the portal is running and reachable from this server over HTTPS (its certificate trusted: see `meridian server trust list`); the request can be retried once it is.',
});

export const PortalRefused = defineError({
  code: 'gis.portal_refused',
  status: 502,
  arcgisCode: 500,
  summary:
    'The portal this server is federated with refused a federation call (a 4xx answer: the call itself is wrong for it, so sending it again cannot help).',
  fix: 'Read the portal’s message; validate the federation on the portal (Organization › Settings › Servers › Validate) and, if the portal no longer knows this server, federate it again. A refused service registration stays listed by `meridian server federation`; once the cause is fixed, `meridian server federation --retry` sends it again.',
});

export const PortalFailed = defineError({
  code: 'gis.portal_failed',
  status: 502,
  arcgisCode: 500,
  summary:
    'The portal this server is federated with failed to answer a federation call (HTTP 500, or an answer that is not JSON).',
  fix: 'Check the portal’s log for the failure; a service registration waiting in the outbox is retried with backoff (see `meridian server federation`).',
});

export const InvalidServerToken = defineError({
  code: 'gis.invalid_server_token',
  status: 498,
  summary: 'Invalid token.',
  fix: "The portal's token for this server is expired, for another server, or signed with a secret this server no longer holds (federation removed or renewed): get a new one from the portal's generateToken with serverUrl.",
});
