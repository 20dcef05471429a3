import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Why a logout message at oauth2/saml/signout is refused: one code per cause. */

const IDP_ADMIN = 'Ask the IdP administrator to check';

export const SamlLogoutMessageMissing = defineError({
  code: 'saml.logout_message_missing',
  status: 400,
  summary: 'The single logout endpoint received neither a SAMLRequest nor a SAMLResponse.',
  fix: 'The IdP sends a LogoutRequest or a LogoutResponse here (HTTP-Redirect or HTTP-POST binding); to sign out of the portal, use oauth2/signout.',
});

export const SamlLogoutTooLarge = defineError({
  code: 'saml.logout_too_large',
  status: 413,
  arcgisCode: 400,
  summary: 'The logout message is larger than saml.maxResponseBytes.',
  fix: `${IDP_ADMIN} what it sends to the portal's single logout endpoint.`,
});

export const SamlLogoutMalformed = defineError({
  code: 'saml.logout_malformed',
  status: 400,
  summary:
    'The logout message is not a SAML 2.0 LogoutRequest or LogoutResponse (encoding, compression or XML).',
  fix: `${IDP_ADMIN} the binding and the message it sends to the portal's single logout endpoint.`,
});

export const SamlLogoutDoctypeRefused = defineError({
  code: 'saml.logout_doctype_refused',
  status: 400,
  summary: 'The logout message contains a DOCTYPE or an entity declaration; they are never processed.',
  fix: 'Treat this as an attack: IdPs never send a DOCTYPE.',
});

export const SamlLogoutUnsigned = defineError({
  code: 'saml.logout_unsigned',
  status: 403,
  summary:
    'The logout message is not signed; logout messages are accepted only when signed with a key of the IdP’s metadata.',
  fix: `${IDP_ADMIN} that it signs its logout messages (query signature for HTTP-Redirect, XML signature for HTTP-POST).`,
});

export const SamlLogoutSignatureInvalid = defineError({
  code: 'saml.logout_signature_invalid',
  status: 403,
  summary:
    'The logout message’s signature does not verify with the keys of the IdP’s metadata (or its shape is not one IdPs produce).',
  fix: 'Treat this as an attack unless the IdP changed its key: then update the login’s metadata.',
});

export const SamlLogoutAlgorithmRefused = defineError({
  code: 'saml.logout_algorithm_refused',
  status: 403,
  summary:
    'The logout message is signed with an algorithm that is not allowed (SHA-1 unless the login allows it).',
  fix: `${IDP_ADMIN} that it signs with RSA-SHA256 or better.`,
});

export const SamlLogoutIssuerUnknown = defineError({
  code: 'saml.logout_issuer_unknown',
  status: 403,
  summary: 'The logout message names no Issuer, or one that is not an IdP of the organisation’s SAML login.',
  fix: 'Only the IdPs of the SAML login may send logout messages to the portal.',
});

export const SamlLogoutDestinationMismatch = defineError({
  code: 'saml.logout_destination_mismatch',
  status: 403,
  summary:
    'The logout message’s Destination is not this portal’s single logout endpoint (oauth2/saml/signout).',
  fix: `${IDP_ADMIN} the SP's single logout URL (from the portal's SP metadata).`,
});

export const SamlLogoutExpired = defineError({
  code: 'saml.logout_expired',
  status: 403,
  summary: 'The LogoutRequest was issued too long ago, in the future, or past its NotOnOrAfter.',
  fix: 'Sign out again at the IdP; if it keeps happening, check both clocks.',
});

export const SamlLogoutReplayed = defineError({
  code: 'saml.logout_replayed',
  status: 403,
  summary: 'This LogoutRequest (its ID) was already received.',
  fix: 'Treat this as a replay: each LogoutRequest is accepted once.',
});

export const SamlLogoutInResponseToUnknown = defineError({
  code: 'saml.logout_in_response_to_unknown',
  status: 403,
  summary:
    'The LogoutResponse does not answer a LogoutRequest this portal sent (missing, unknown, already answered or expired InResponseTo).',
  fix: 'Sign out from the portal again; an unsolicited or replayed LogoutResponse is never accepted.',
});

export const SamlLogoutNameIdMissing = defineError({
  code: 'saml.logout_nameid_missing',
  status: 400,
  summary: 'The LogoutRequest names no NameID (an encrypted one, EncryptedID, is not supported).',
  fix: `${IDP_ADMIN} that its LogoutRequests carry the NameID of the sign-in in clear.`,
});

export const SamlLogoutIdpFailed = defineError({
  code: 'saml.logout_idp_failed',
  status: 502,
  arcgisCode: 500,
  summary:
    'You are signed out of the portal, but the identity provider answered that it could not end its own session.',
  fix: 'Close the browser to end the session at the identity provider, or sign out there.',
});
