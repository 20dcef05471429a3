import type { FederationState } from './federation-state.ts';

/**
 * rest/info's authentication part (protocol step 7): federated, the portal owns the server and
 * issues its tokens; standalone, the server's own token service does.
 */
export function restInfoAuth(
  state: FederationState,
  serverRoot: string,
): { owningSystemUrl?: string; tokenServicesUrl: string } {
  const f = state.current;
  if (!f) return { tokenServicesUrl: `${serverRoot}/tokens/generateToken` };
  return { owningSystemUrl: f.portalUrl, tokenServicesUrl: `${f.portalUrl}/sharing/rest/generateToken` };
}
