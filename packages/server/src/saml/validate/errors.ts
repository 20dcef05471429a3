import { defineError } from '../../kernel/errors/meridian-error.ts';

/**
 * Why a SAML response is refused: one code per cause, so that an administrator reading a trace
 * (or a sign-in error) knows which check failed and what to change.
 */

const IDP_ADMIN = 'the IdP administrator';

export const SamlResponseTooLarge = defineError({
  code: 'saml.response_too_large',
  status: 413,
  arcgisCode: 400,
  summary: 'The SAML response is larger than saml.maxResponseBytes; it was refused before being decoded.',
  fix: `If a legitimate IdP sends such large responses (many attributes or groups), raise saml.maxResponseBytes; otherwise ask ${IDP_ADMIN} to release fewer attributes.`,
});

export const SamlEncodingInvalid = defineError({
  code: 'saml.encoding_invalid',
  status: 400,
  summary: 'The SAMLResponse parameter is not base64-encoded UTF-8 XML (HTTP-POST binding).',
  fix: `Check that the IdP posts to the portal's assertion consumer service with the HTTP-POST binding; ask ${IDP_ADMIN} to check the SP's binding in its configuration.`,
});

export const SamlDoctypeRefused = defineError({
  code: 'saml.doctype_refused',
  status: 400,
  summary:
    'The SAML message contains a document type declaration (DOCTYPE); DTDs and entities are never processed.',
  fix: 'Real IdPs never send a DOCTYPE: treat this as an attack (entity expansion or external entities) unless an IdP is misconfigured.',
});

export const SamlXmlMalformed = defineError({
  code: 'saml.xml_malformed',
  status: 400,
  summary: 'The SAML message is not well-formed XML, or is not a SAML 2.0 Response.',
  fix: `Ask ${IDP_ADMIN} to check what it sends to the portal's assertion consumer service (a SAML 2.0 samlp:Response).`,
});

export const SamlWrappingDetected = defineError({
  code: 'saml.wrapping_detected',
  status: 403,
  summary:
    'The SAML response has a shape no IdP produces: more than one Response or Assertion, an element moved into a signature, a signature in an unexpected place, or duplicate IDs (XML signature wrapping).',
  fix: 'Treat this as an attack. If a legitimate IdP produces it, its responses must carry exactly one assertion, signed where SAML places signatures.',
});

export const SamlCommentRefused = defineError({
  code: 'saml.comment_refused',
  status: 403,
  summary:
    'The SAML response contains an XML comment or processing instruction inside the message; they are not covered by the signature and are the tool of NameID truncation attacks.',
  fix: 'Treat this as an attack: IdPs do not put comments inside their responses.',
});

export const SamlIssuerUnknown = defineError({
  code: 'saml.issuer_unknown',
  status: 403,
  summary:
    'The response names an Issuer that is not a trusted IdP of this portal (nor of its federation), or names none.',
  fix: 'Register the IdP (portals/self/idp/register) or check that it is in the federation metadata; compare the entity ID it sends with the one registered.',
});

export const SamlIssuerMismatch = defineError({
  code: 'saml.issuer_mismatch',
  status: 403,
  summary: 'The signed content names another Issuer than the IdP whose keys verified it.',
  fix: 'Treat this as an attack (an IdP asserting for another), unless the IdP sends different entity IDs in the Response and its Assertion.',
});

export const SamlSignatureMissing = defineError({
  code: 'saml.signature_missing',
  status: 403,
  summary:
    "The response lacks a signature the IdP's policy requires (on the Assertion, the Response, or both).",
  fix: `Ask ${IDP_ADMIN} to sign what the login requires, or change which part the login requires to be signed.`,
});

export const SamlSignatureInvalid = defineError({
  code: 'saml.signature_invalid',
  status: 403,
  summary:
    'A signature of the response does not verify: the signed content was changed after signing, or the signature is malformed.',
  fix: 'Treat this as tampering, unless something between the IdP and the portal rewrites the response.',
});

export const SamlSignatureKeyUntrusted = defineError({
  code: 'saml.signature_key_untrusted',
  status: 403,
  summary:
    "The signed content is intact, but the signature was not made with a key from the IdP's verified metadata (a key carried in the message's KeyInfo is never trusted).",
  fix: "If the IdP changed its signing key, refresh its metadata (or the federation's); otherwise treat this as an attack: the message was signed by someone else.",
});

export const SamlAlgorithmRefused = defineError({
  code: 'saml.algorithm_refused',
  status: 403,
  summary:
    'The signature uses an algorithm that is not allowed: RSA-SHA256/384/512 or ECDSA-SHA256/384/512, exclusive canonicalization and the enveloped-signature transform; SHA-1 only for a login configured for it.',
  fix: `Ask ${IDP_ADMIN} to sign with RSA-SHA256; if it cannot, allow SHA-1 for this login only (useSHA256 off).`,
});

export const SamlEncryptionAlgorithmRefused = defineError({
  code: 'saml.encryption_algorithm_refused',
  status: 403,
  summary:
    'The encrypted assertion uses an algorithm that is not allowed: key transport RSA-OAEP, content AES-128/256-GCM or AES-128/256-CBC.',
  fix: `Ask ${IDP_ADMIN} to encrypt with RSA-OAEP and AES-256-GCM.`,
});

export const SamlEncryptionRsa15Refused = defineError({
  code: 'saml.encryption_rsa15_refused',
  status: 403,
  summary:
    'The assertion key is encrypted with RSA PKCS#1 v1.5 (rsa-1_5), which is vulnerable to padding-oracle attacks and never accepted.',
  fix: `Ask ${IDP_ADMIN} to use RSA-OAEP key transport for this SP.`,
});

export const SamlDecryptionFailed = defineError({
  code: 'saml.decryption_failed',
  status: 403,
  summary: "The encrypted assertion could not be decrypted with the SP's keys.",
  fix: "Check that the IdP encrypts with the SP's current certificate (from the portal's SP metadata); during a key rollover keep both keys.",
});

export const SamlAssertionMissing = defineError({
  code: 'saml.assertion_missing',
  status: 400,
  summary: 'The response reports success but carries no assertion.',
  fix: `Ask ${IDP_ADMIN} why its response holds no assertion.`,
});

export const SamlStatusNotSuccess = defineError({
  code: 'saml.status_not_success',
  status: 401,
  arcgisCode: 400,
  summary: 'The IdP answered with a status other than Success: it did not authenticate the user.',
  fix: 'The status code (e.g. AuthnFailed, RequestDenied, NoPassive) says why; the IdP log has the details.',
});

export const SamlDestinationMismatch = defineError({
  code: 'saml.destination_mismatch',
  status: 403,
  summary:
    "The response's Destination is not one of the portal's assertion consumer service URLs (or is missing from a signed response).",
  fix: "Check the portal's public URL (publicUrl) and the ACS URL registered at the IdP: they must match exactly.",
});

export const SamlRecipientMismatch = defineError({
  code: 'saml.recipient_mismatch',
  status: 403,
  summary:
    "The bearer SubjectConfirmationData's Recipient is not one of the portal's assertion consumer service URLs.",
  fix: "Check the portal's public URL (publicUrl) and the ACS URL registered at the IdP: they must match exactly.",
});

export const SamlAudienceMismatch = defineError({
  code: 'saml.audience_mismatch',
  status: 403,
  summary: "The assertion's AudienceRestriction does not name this portal's SP entity ID (or is missing).",
  fix: "Check the SP entity ID the IdP has for this portal: it must equal the portal's (see the SP metadata).",
});

export const SamlNotYetValid = defineError({
  code: 'saml.not_yet_valid',
  status: 403,
  summary: 'The assertion is not valid yet (NotBefore is later than now plus the allowed clock skew).',
  fix: "Check the clocks of the IdP and the portal's nodes (NTP).",
});

export const SamlExpired = defineError({
  code: 'saml.expired',
  status: 403,
  summary:
    'The assertion or its bearer confirmation has expired (NotOnOrAfter is past, beyond the allowed clock skew).',
  fix: "Sign in again; if this keeps happening, check the clocks of the IdP and the portal's nodes (NTP).",
});

export const SamlSubjectConfirmationInvalid = defineError({
  code: 'saml.subject_confirmation_invalid',
  status: 403,
  summary:
    'The assertion has no bearer SubjectConfirmation with SubjectConfirmationData (Web Browser SSO requires one).',
  fix: `Ask ${IDP_ADMIN} to issue bearer assertions for this SP (SAML 2.0 Web Browser SSO profile).`,
});

export const SamlInResponseToMissing = defineError({
  code: 'saml.in_response_to_missing',
  status: 403,
  summary:
    'The response answers no request of this portal (no InResponseTo): unsolicited (IdP-initiated) responses are not accepted.',
  fix: 'Start the sign-in from the portal, which sends the IdP an AuthnRequest.',
});

export const SamlInResponseToUnknown = defineError({
  code: 'saml.in_response_to_unknown',
  status: 403,
  summary:
    'The response answers a request this portal did not send, sent to another IdP, or one that has expired (InResponseTo).',
  fix: 'Start the sign-in again from the portal; if it keeps failing, the IdP answers with the wrong request ID.',
});

export const SamlInResponseToReused = defineError({
  code: 'saml.in_response_to_reused',
  status: 403,
  summary: 'The request this response answers has already been answered: each sign-in request is used once.',
  fix: 'Start the sign-in again from the portal (the browser may have posted the response twice).',
});

export const SamlReplayed = defineError({
  code: 'saml.replayed',
  status: 403,
  summary: 'This assertion was already used to sign in: assertion IDs are accepted once.',
  fix: 'Start the sign-in again from the portal; a replayed assertion may be an attack.',
});

export const SamlNameIdMissing = defineError({
  code: 'saml.name_id_missing',
  status: 400,
  summary:
    'The signed assertion has no NameID (or an empty one, or an encrypted identifier) to identify the user.',
  fix: `Ask ${IDP_ADMIN} to release a NameID for this SP (persistent, or an email address).`,
});

export const SamlValidationFailed = defineError({
  code: 'saml.validation_failed',
  status: 500,
  summary:
    'The SAML response could not be validated because of an internal error (not a refusal of the response).',
  fix: 'The portal log has the error; report it with the trace of the sign-in (portaladmin/traces?pipeline=saml.response).',
});
