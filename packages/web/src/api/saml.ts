import type { SignInFailureJson, SignInFailureListJson } from '@meridian/server/saml/signin/failures.ts';
import { type Params, request } from './client.ts';

const SELF = '/sharing/rest/portals/self';

export interface SamlEndpoint {
  binding: string;
  location: string;
}

interface LoginCommon {
  id: string;
  name: string;
  entityId: string;
  entityIdIsDefault: boolean;
  signUpMode: 'Automatic' | 'Invitation';
  roleId: string;
  level: string;
  groups: string[];
  encryptionSupported: boolean;
  supportSignedRequest: boolean;
  useSHA256: boolean;
  supportsLogoutRequest: boolean;
  logoutUrl: string | null;
  updateProfileAtSignin: boolean;
  created: number;
  modified: number;
}

export interface IdpLogin extends LoginCommon {
  userLicenseType: string | null;
  idpEntityId: string | null;
  idpMetadataUrl: string | null;
  idpMetadataFile: string | null;
  bindingUrl: string | null;
  postBindingUrl: string | null;
  certificate: string;
  encryptionCertificate: string | null;
  signingCertificates: { subject: string; notAfter: number; sha256: string }[];
  singleSignOnServices: SamlEndpoint[];
}

export interface FederationLogin extends LoginCommon {
  userType: string | null;
  discoveryServiceUrl: string | null;
  metadataServiceUrl: string;
  mdqUrl: string | null;
  certificate: string;
  federationId: string | null;
}

export type SamlLogin = ({ kind: 'idp' } & IdpLogin) | ({ kind: 'federation' } & FederationLogin);

/** The organisation's SAML login (one IdP or a federation), or null. */
export async function getSamlLogin(): Promise<SamlLogin | null> {
  const idp = await request<Partial<IdpLogin>>(`${SELF}/idp`);
  if (idp.id) return { kind: 'idp', ...(idp as IdpLogin) };
  const fed = await request<Partial<FederationLogin>>(`${SELF}/idp/federation`);
  if (fed.id) return { kind: 'federation', ...(fed as FederationLogin) };
  return null;
}

/** Fields as the Sharing API takes them (booleans as "true"/"false"). */
export type LoginFields = Params;

export function registerIdp(
  fields: LoginFields,
  metadataFile?: File,
): Promise<{ success: true; id: string }> {
  return request(`${SELF}/idp/register`, {
    form: fields,
    ...(metadataFile ? { files: { idpMetadataFile: metadataFile } } : {}),
  });
}

export function updateIdp(
  id: string,
  fields: LoginFields,
  metadataFile?: File,
): Promise<{ success: true; id: string }> {
  return request(`${SELF}/idp/${encodeURIComponent(id)}/update`, {
    form: fields,
    ...(metadataFile ? { files: { idpMetadataFile: metadataFile } } : {}),
  });
}

export function registerFederation(fields: LoginFields): Promise<{ success: true; id: string }> {
  return request(`${SELF}/idp/federation/register`, { form: fields });
}

export function updateFederation(id: string, fields: LoginFields): Promise<{ success: true; id: string }> {
  return request(`${SELF}/idp/federation/${encodeURIComponent(id)}/update`, { form: fields });
}

export function unregisterLogin(login: SamlLogin): Promise<{ success: true }> {
  const path = login.kind === 'idp' ? 'idp' : 'idp/federation';
  return request(`${SELF}/${path}/${encodeURIComponent(login.id)}/unregister`, { form: {} });
}

export interface SpKey {
  alias: string;
  state: 'active' | 'next';
  created: number;
  subject: string;
  notAfter: number;
  sha256: string;
}

export interface SpKeys {
  keys: SpKey[];
  rollover: string;
}

export const getSpKeys = () => request<SpKeys>(`${SELF}/sp/keys`);
export const addSpKey = () => request<SpKeys>(`${SELF}/sp/keys/add`, { form: {} });
export const retireSpKey = () => request<SpKeys>(`${SELF}/sp/keys/retire`, { form: {} });

/** The SP metadata XML (with the session's credentials). */
export async function getSpMetadata(): Promise<string> {
  const res = await fetch(`${SELF}/sp/metadata`, { credentials: 'same-origin' });
  const text = await res.text();
  if (!res.ok || !text.startsWith('<?xml'))
    throw new Error('The service provider metadata could not be read.');
  return text;
}

/** A failed SAML sign-in: when, which IdP, the error code, the step that refused it and why; its trace. */
export type SignInFailure = SignInFailureJson;
export type SignInFailureList = SignInFailureListJson;

/** Failed SAML sign-ins, newest first (administrators); kept `keepDays` days. */
export function listSignInFailures(page: { start?: number; num?: number } = {}): Promise<SignInFailureList> {
  return request('/portaladmin/security/saml/signInFailures', { query: { ...page } });
}
