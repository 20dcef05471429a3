/** Organization pages: paths below /home/. */
export const ORGANIZATION_PAGES = {
  members: 'organization.html',
  settings: 'organization/settings.html',
  /** Organization › Settings › Servers: the federated GIS servers. */
  servers: 'organization/settings/servers.html',
  /** Organization › Settings › Collaborations: the collaborations with other portals. */
  collaborations: 'organization/settings/collaborations.html',
  /** One collaboration: ?id=<collaboration id>. */
  collaboration: 'organization/settings/collaboration.html',
  jobs: 'organization/jobs.html',
  traces: 'organization/traces.html',
  /** One trace: ?id=<trace id>. */
  trace: 'organization/trace.html',
} as const;

/** The sub-navigation of Organization › Settings. */
export const SETTINGS_LINKS = [
  { page: ORGANIZATION_PAGES.settings, label: 'General' },
  { page: ORGANIZATION_PAGES.servers, label: 'Servers' },
  { page: ORGANIZATION_PAGES.collaborations, label: 'Collaborations' },
] as const;

/** Organization › Security: paths below /home/. */
export const SECURITY_PAGES = {
  certificates: 'organization/security/certificates.html',
  trustStore: 'organization/security/trust-store.html',
  https: 'organization/security/https.html',
  logins: 'organization/security/logins.html',
} as const;

export const SECURITY_LINKS = [
  { page: SECURITY_PAGES.certificates, label: 'Certificates' },
  { page: SECURITY_PAGES.trustStore, label: 'Trust store' },
  { page: SECURITY_PAGES.https, label: 'HTTPS settings' },
  { page: SECURITY_PAGES.logins, label: 'Logins' },
] as const;
