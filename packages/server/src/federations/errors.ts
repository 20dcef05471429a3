import { defineError } from '../kernel/errors/meridian-error.ts';

/**
 * Why an aggregate (or an MDQ answer) was refused. Every one leaves the federation's last good
 * metadata in place: nothing of a refused document is ever visible.
 */
export const FederationSignatureMissing = defineError({
  code: 'federation.signature_missing',
  status: 400,
  summary:
    'The metadata is not signed: its root element has no ds:Signature as its first child (where SAML metadata puts it).',
  fix: 'Check the metadata URL points at the federation’s signed aggregate, not an unsigned copy.',
});

export const FederationSignatureInvalid = defineError({
  code: 'federation.signature_invalid',
  status: 400,
  summary:
    'The signature of the metadata does not verify with the federation’s signing certificate (signed by another key, or altered).',
  fix: 'Check the signing certificate configured for the federation is the one the federation publishes (it may have rolled over); a key carried in the document itself is never trusted.',
});

export const FederationDigestMismatch = defineError({
  code: 'federation.digest_mismatch',
  status: 400,
  summary:
    'The metadata was altered after it was signed: the digest of its content differs from the signed one.',
  fix: 'Fetch the aggregate again from the federation; if it keeps failing, tell the federation operator.',
});

export const FederationUnsupportedAlgorithm = defineError({
  code: 'federation.unsupported_algorithm',
  status: 400,
  summary:
    'The metadata’s signature uses an algorithm or transform Meridian does not accept (RSA or ECDSA with SHA-256/384/512, exclusive canonicalisation, enveloped signature).',
  fix: 'Ask the federation operator for an aggregate signed with SHA-256 or better and exclusive canonicalisation.',
});

export const FederationReferenceInvalid = defineError({
  code: 'federation.reference_invalid',
  status: 400,
  summary:
    'The signature does not cover the whole metadata: its Reference must be "" or the root element’s ID, with one reference only.',
  fix: 'Check the metadata URL points at the federation’s signed aggregate.',
});

export const FederationValidUntilMissing = defineError({
  code: 'federation.valid_until_missing',
  status: 400,
  summary: 'The metadata has no validUntil (or not a date): metadata that never expires is refused.',
  fix: 'Ask the federation operator for an aggregate with validUntil, as every federation publishes.',
});

export const FederationValidUntilPast = defineError({
  code: 'federation.valid_until_past',
  status: 400,
  summary: 'The metadata has expired: its validUntil has passed (a stale copy, or a replay).',
  fix: 'Check the URL serves the current aggregate (not a mirror or cache that stopped updating).',
});

export const FederationValidityTooLong = defineError({
  code: 'federation.validity_too_long',
  status: 400,
  summary:
    'The metadata’s validUntil is further in the future than the longest validity allowed (federations.maxValidityDays).',
  fix: 'Raise federations.maxValidityDays if the federation really publishes such long-lived metadata.',
});

export const FederationTruncated = defineError({
  code: 'federation.truncated',
  status: 400,
  summary: 'The metadata ended before its root element closed: the download was cut short.',
  fix: 'Fetch it again; if it keeps failing, check the size and time limits (federations.maxMegabytes, federations.fetchTimeoutSeconds).',
});

export const FederationNotWellFormed = defineError({
  code: 'federation.not_well_formed',
  status: 400,
  summary: 'The metadata is not well-formed XML.',
  fix: 'Check the metadata URL points at the federation’s aggregate (not an HTML page).',
});

export const FederationDoctypeRefused = defineError({
  code: 'federation.doctype_refused',
  status: 400,
  summary:
    'The metadata contains a DOCTYPE: document type declarations are refused (entity expansion attacks).',
  fix: 'SAML metadata never needs a DOCTYPE; ask the federation operator to remove it.',
});

export const FederationNotEntitiesDescriptor = defineError({
  code: 'federation.not_a_entities_descriptor',
  status: 400,
  summary:
    'The document is not SAML metadata of the expected kind (an md:EntitiesDescriptor aggregate, or an md:EntityDescriptor from MDQ).',
  fix: 'Check the metadata URL points at the federation’s aggregate.',
});

export const FederationFetchFailed = defineError({
  code: 'federation.fetch_failed',
  status: 502,
  summary: 'The federation’s server did not answer the metadata with 200 OK.',
  fix: 'Check the metadata URL in a browser; the answer’s status is in the message.',
});

export const FederationNotFound = defineError({
  code: 'federation.not_found',
  status: 404,
  arcgisCode: 400,
  summary: 'There is no federation with this id.',
  fix: 'List the federations (GET portaladmin/federations) for their ids.',
});

export const FederationInvalidInput = defineError({
  code: 'federation.invalid_input',
  status: 400,
  summary: 'The federation’s settings are not valid (URL, signing certificate).',
  fix: 'Give an https:// metadata URL and the federation’s signing certificate in PEM or Base64.',
});

export const FederationMdqEntityMismatch = defineError({
  code: 'federation.mdq_entity_mismatch',
  status: 502,
  summary:
    'The federation’s MDQ service answered an EntityDescriptor for another entity than the one asked for (signed or not, it is refused).',
  fix: 'Check the MDQ base URL (mdqUrl) is the federation’s metadata query service; tell the federation operator if it persists.',
});

export const FederationMdqUnavailable = defineError({
  code: 'federation.mdq_unavailable',
  status: 502,
  summary:
    'The federation’s MDQ service could not be asked for an identity provider’s metadata (connection, time or size limit, an answer other than 200 or 404).',
  fix: 'Check the MDQ base URL (mdqUrl) in a browser (<mdqUrl>/entities/<percent-encoded entity ID>); the cause is in the message. A good entry already cached stays in use until its validUntil.',
});
