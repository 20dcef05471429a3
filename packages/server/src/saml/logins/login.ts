import type { IdpDescription } from './idp-metadata.ts';

export type SignUpMode = 'Automatic' | 'Invitation';

/** How the login signs people in and what their accounts get (ArcGIS's names). */
export interface LoginSettings {
  signUpMode: SignUpMode;
  /** The role of accounts created at sign-in (org_user, org_publisher, org_admin). */
  roleId: string;
  level: string;
  /** userLicenseType (one IdP) or userType (federation), kept as given. */
  userLicenseType: string | null;
  /** Groups (ids) new accounts join. */
  groups: string[];
  encryptionSupported: boolean;
  supportSignedRequest: boolean;
  /** Requests are signed with RSA-SHA256 (else RSA-SHA1, which also lets SHA-1 signatures from the IdP in). */
  useSHA256: boolean;
  supportsLogoutRequest: boolean;
  logoutUrl: string | null;
  updateProfileAtSignin: boolean;
  /** IdP-initiated (unsolicited) sign-in; off by default. */
  allowIdpInitiated: boolean;
}

export const DEFAULT_SETTINGS: LoginSettings = {
  signUpMode: 'Automatic',
  roleId: 'org_user',
  level: '2',
  userLicenseType: null,
  groups: [],
  encryptionSupported: false,
  supportSignedRequest: false,
  useSHA256: true,
  supportsLogoutRequest: false,
  logoutUrl: null,
  updateProfileAtSignin: true,
  allowIdpInitiated: false,
};

/** Where a single IdP's description came from. */
export type IdpSource =
  | { kind: 'url'; url: string }
  | { kind: 'file'; filename: string }
  | { kind: 'fields' };

export interface IdpLogin {
  description: IdpDescription;
  source: IdpSource;
}

export interface FederationLogin {
  /** The federations module's id of the source (null when it could not be handed over). */
  federationId: string | null;
  /** The signed aggregate; '' when the federation is known through MDQ only. */
  metadataServiceUrl: string;
  /** The base URL of the federation's MDQ service (absent in logins stored before it existed). */
  mdqUrl?: string | null;
  discoveryServiceUrl: string | null;
  /** PEM: the certificates that sign the aggregate. */
  certificate: string;
}

export interface SamlLogin {
  id: string;
  kind: 'idp' | 'federation';
  name: string;
  /** The SP entity ID this login uses instead of the default. */
  spEntityId: string | null;
  settings: LoginSettings;
  idp: IdpLogin | null;
  federation: FederationLogin | null;
  created: number;
  modified: number;
}
