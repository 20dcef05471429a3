import type { Caller } from '../http/caller.ts';
import { CURRENT_VERSION } from '../kernel/version.ts';
import type { PortalSettingsStore } from './settings.ts';

/** The portals/self answer: what ArcGIS clients read to learn about the organisation. */
export async function describePortal(
  settings: PortalSettingsStore,
  baseUrl: string,
  caller: Caller | undefined,
): Promise<Record<string, unknown>> {
  const s = await settings.get();
  const base = baseUrl;
  const host = new URL(base).host;
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    isPortal: true,
    portalMode: 'singletenant',
    portalName: 'Meridian',
    currentVersion: CURRENT_VERSION,
    allSSL: s.allSSL,
    portalHostname: host,
    urlKey: null,
    customBaseUrl: host,
    canSignInArcGIS: s.canSignInArcGIS,
    canSignInIDP: s.canSignInIDP,
    ...(s.canSignInIDP && s.idpName ? { idpName: s.idpName } : {}),
    allowBuiltInAccounts: s.allowBuiltInAccounts,
    canSearchPublic: true,
    canSharePublic: true,
    access: 'public',
    maxTokenExpirationMinutes: s.maxTokenExpirationMinutes,
    defaultTokenExpirationMinutes: s.defaultTokenExpirationMinutes,
    defaultItemAccess: s.defaultItemAccess,
    isPortalSslRequired: s.allSSL,
    supportsOAuth: true,
    created: s.created,
    modified: s.created,
    helperServices: {},
    authorizedCrossOriginDomains: [],
    allowedOrigins: s.allowedOrigins,
    ...(s.defaultBasemap ? { defaultBasemap: s.defaultBasemap } : {}),
    ...(caller
      ? { user: { username: caller.username, role: caller.role, privileges: caller.privileges } }
      : {}),
    ...(caller?.role === 'org_admin' ? { portalProperties: {} } : {}),
    restUrl: `${base}/sharing/rest`,
  };
}
