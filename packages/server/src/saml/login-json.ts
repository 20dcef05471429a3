import { Type } from '@sinclair/typebox';
import { EpochMs } from '../http/schemas.ts';
import { describeCertificate } from './logins/certificates.ts';
import { BINDING } from './logins/idp-metadata.ts';
import type { SamlLogin } from './logins/login.ts';

const Str = Type.String();
const NStr = Type.Union([Type.String(), Type.Null()]);
const Bool = Type.Boolean();
const CertInfo = Type.Object({ subject: Str, notAfter: EpochMs, sha256: Str });
const EndpointJson = Type.Object({
  binding: Str,
  location: Str,
  responseLocation: Type.Optional(Str),
});

const common = {
  id: Str,
  name: Str,
  entityId: Type.String({ description: 'The service provider entity ID this login uses.' }),
  entityIdIsDefault: Type.Boolean({ description: 'True when entityId is the default (host and context).' }),
  signUpMode: Str,
  roleId: Str,
  level: Str,
  groups: Type.Array(Str),
  encryptionSupported: Bool,
  supportSignedRequest: Bool,
  useSHA256: Bool,
  supportsLogoutRequest: Bool,
  logoutUrl: NStr,
  updateProfileAtSignin: Bool,
  allowIdpInitiated: Type.Boolean({
    description: 'IdP-initiated sign-in is accepted (lands on the home app); off by default.',
  }),
  created: EpochMs,
  modified: EpochMs,
};

export const IdpLoginJson = Type.Object(
  {
    ...common,
    userLicenseType: NStr,
    idpEntityId: NStr,
    idpMetadataUrl: NStr,
    idpMetadataFile: NStr,
    bindingUrl: NStr,
    postBindingUrl: NStr,
    certificate: Type.String({ description: "The IdP's (first) signing certificate, PEM." }),
    encryptionCertificate: NStr,
    signingCertificates: Type.Array(CertInfo),
    singleSignOnServices: Type.Array(EndpointJson),
    singleLogoutServices: Type.Array(EndpointJson),
  },
  { description: 'The SAML login of one identity provider.' },
);

export const FederationLoginJson = Type.Object(
  {
    ...common,
    userType: NStr,
    discoveryServiceUrl: NStr,
    metadataServiceUrl: Str,
    mdqUrl: Type.Union([Type.String(), Type.Null()], {
      description:
        "Meridian's: the base URL of the federation's MDQ service (identity providers not in the aggregate are asked of it); null without one.",
    }),
    certificate: Type.String({ description: 'The certificate(s) that sign the federation metadata, PEM.' }),
    federationId: Type.Union([Type.String(), Type.Null()], {
      description: "The federations module's source (metadata refresh status: its jobs and index).",
    }),
  },
  { description: 'The SAML login of a federation of identity providers.' },
);

function commonJson(l: SamlLogin, spEntityId: string) {
  const s = l.settings;
  return {
    id: l.id,
    name: l.name,
    entityId: spEntityId,
    entityIdIsDefault: !l.spEntityId,
    signUpMode: s.signUpMode,
    roleId: s.roleId,
    level: s.level,
    groups: s.groups,
    encryptionSupported: s.encryptionSupported,
    supportSignedRequest: s.supportSignedRequest,
    useSHA256: s.useSHA256,
    supportsLogoutRequest: s.supportsLogoutRequest,
    logoutUrl: s.logoutUrl,
    updateProfileAtSignin: s.updateProfileAtSignin,
    allowIdpInitiated: s.allowIdpInitiated,
    created: l.created,
    modified: l.modified,
  };
}

export function idpJson(l: SamlLogin, spEntityId: string) {
  const idp = l.idp!;
  const d = idp.description;
  const at = (b: string) => d.singleSignOnServices.find((e) => e.binding === b)?.location ?? null;
  return {
    ...commonJson(l, spEntityId),
    userLicenseType: l.settings.userLicenseType,
    idpEntityId: d.entityId,
    idpMetadataUrl: idp.source.kind === 'url' ? idp.source.url : null,
    idpMetadataFile: idp.source.kind === 'file' ? idp.source.filename : null,
    bindingUrl: at(BINDING.redirect),
    postBindingUrl: at(BINDING.post),
    certificate: d.signingCertificates[0] ?? '',
    encryptionCertificate: d.encryptionCertificates[0] ?? null,
    signingCertificates: d.signingCertificates.map(describeCertificate),
    singleSignOnServices: d.singleSignOnServices,
    singleLogoutServices: d.singleLogoutServices,
  };
}

export function federationJson(l: SamlLogin, spEntityId: string) {
  const f = l.federation!;
  return {
    ...commonJson(l, spEntityId),
    userType: l.settings.userLicenseType,
    discoveryServiceUrl: f.discoveryServiceUrl,
    metadataServiceUrl: f.metadataServiceUrl,
    mdqUrl: f.mdqUrl ?? null,
    certificate: f.certificate,
    federationId: f.federationId,
  };
}
