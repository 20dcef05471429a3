import type { ServersContext } from './context.ts';

/**
 * What the portal hands a server it federates (protocol 3): where the portal is, its id, the
 * id it gave the server, their shared secret, and the CA certificate of the portal's chain so
 * that the server trusts the portal.
 */
export async function portalIdentity(
  deps: Pick<ServersContext, 'kernel' | 'orgId' | 'pki'>,
  serverId: string,
  secret: Buffer,
): Promise<Record<string, unknown>> {
  return {
    portalUrl: deps.kernel.baseUrl(),
    portalId: await deps.orgId(),
    serverId,
    portalSecretKey: secret.toString('base64url'),
    portalCaChain: [await deps.pki.localCaPem()],
  };
}

/** The security/config/update form that sends a server back to standalone. */
export function standaloneForm(): Record<string, string> {
  return { authenticationTier: 'GIS_SERVER', portalProperties: '{}' };
}
