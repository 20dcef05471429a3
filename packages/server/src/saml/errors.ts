import { defineError } from '../kernel/errors/meridian-error.ts';

/**
 * Errors of the logins registry, the service provider and the SAML sign-in (the response
 * validation's own are in validate/errors.ts).
 */

export const SamlLoginExists = defineError({
  code: 'saml.login_exists',
  status: 409,
  arcgisCode: 400,
  summary:
    'The organisation already has a SAML login; it has one, a single identity provider or a federation.',
  fix: 'Update the existing login, or unregister it first (portals/self/idp/<id>/unregister or portals/self/idp/federation/<id>/unregister), then register the new one.',
});

export const SamlLoginNotFound = defineError({
  code: 'saml.login_not_found',
  status: 404,
  arcgisCode: 400,
  summary: 'There is no such SAML login.',
  fix: 'Read portals/self/idp (one identity provider) or portals/self/idp/federation for the id of the login in use.',
});

export const SamlLoginInvalid = defineError({
  code: 'saml.login_invalid',
  status: 400,
  summary: 'The SAML login is not complete or one of its values is not valid.',
  fix: 'Give the identity provider as a metadata URL (idpMetadataUrl), a metadata file (idpMetadataFile), or entered fields (bindingUrl or postBindingUrl, and certificate); correct the value named.',
});

export const SamlMetadataInvalid = defineError({
  code: 'saml.metadata_invalid',
  status: 400,
  summary: 'The identity provider metadata cannot be used.',
  fix: "Use the IdP's SAML 2.0 metadata (an md:EntityDescriptor with an IDPSSODescriptor, its SingleSignOnService endpoints and signing certificate), as the IdP publishes it; nothing was changed.",
});

export const SamlCertificateInvalid = defineError({
  code: 'saml.certificate_invalid',
  status: 400,
  summary: 'A certificate of the SAML login is not an X.509 certificate.',
  fix: 'Paste the certificate as PEM (-----BEGIN CERTIFICATE-----) or as its Base64 DER text, as the IdP (or the federation) publishes it; nothing was changed.',
});

export const SamlNoLogin = defineError({
  code: 'saml.no_login',
  status: 404,
  arcgisCode: 400,
  summary: 'This organisation has no SAML login.',
  fix: 'An administrator registers one under Organization › Settings › Security › Logins (portals/self/idp/register or portals/self/idp/federation/register).',
});

export const SamlIdpRequired = defineError({
  code: 'saml.idp_required',
  status: 400,
  summary: 'The sign-in goes through a federation: the identity provider to use must be chosen.',
  fix: "Choose your institution (idp=<its entity ID>); the federation's discovery service sends it back when it is configured.",
});

export const SamlIdpNotInFederation = defineError({
  code: 'saml.idp_unknown',
  status: 400,
  summary: "The identity provider asked for is not one of the login's.",
  fix: 'Choose an identity provider listed by the federation (its metadata may not have been loaded yet: see the federation’s refresh status).',
});

export const SamlRelayStateMismatch = defineError({
  code: 'saml.relay_state_mismatch',
  status: 400,
  summary: 'The RelayState sent back by the IdP is not the sign-in the response answers.',
  fix: 'Start the sign-in again from the app; if it keeps happening, ask the IdP administrator to return RelayState unchanged.',
});

export const SamlLoginChanged = defineError({
  code: 'saml.login_changed',
  status: 400,
  summary: 'The SAML login was replaced or removed while this sign-in was under way.',
  fix: 'Start the sign-in again from the app.',
});

export const SamlSpKeyMissing = defineError({
  code: 'saml.sp_key_missing',
  status: 500,
  summary: "A key of the portal's SAML service provider is missing from the certificate store.",
  fix: 'Add a new SP key (portals/self/sp/keys/add), publish the new service provider metadata to the IdP, then retire the missing one (portals/self/sp/keys/retire).',
});

export const SamlSpRolloverState = defineError({
  code: 'saml.sp_rollover_state',
  status: 409,
  arcgisCode: 400,
  summary: "The service provider's keys are not in the state this step of the rollover needs.",
  fix: 'A rollover is: add the next key (sp/keys/add), publish the metadata with both keys to the IdP, wait until the IdP uses it, then retire the old key (sp/keys/retire). Read portals/self/sp/keys for where it stands.',
});
