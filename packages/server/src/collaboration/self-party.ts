/** This portal as a signed file describes it to a partner: id, URL, name, served chain and the fingerprint to trust. */
import { X509Certificate } from 'node:crypto';
import type { CollaborationContext } from './context.ts';
import { selfUrl } from './context.ts';
import type { PartyDescription } from './invitation-document.ts';

/** The certificate a partner should trust: the top-most CA certificate of the chain, else the leaf. */
export function certificateToTrust(chain: readonly string[]): X509Certificate | undefined {
  const certs = chain.map((pem) => new X509Certificate(pem));
  const cas = certs.filter((c) => c.ca);
  return cas.length ? cas[cas.length - 1] : certs[0];
}

export async function selfParty(
  ctx: CollaborationContext,
  contact: PartyDescription['contact'],
): Promise<PartyDescription> {
  const certificateChain = ctx.servedChain();
  return {
    portalId: await ctx.orgId(),
    portalUrl: selfUrl(ctx),
    name: await ctx.portalName(),
    certificateChain,
    fingerprint: certificateToTrust(certificateChain)?.fingerprint256 ?? '',
    contact,
  };
}

/** Two portal URLs name the same portal when their origins are equal, case aside. */
export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin.toLowerCase() === new URL(b).origin.toLowerCase();
  } catch {
    return false;
  }
}
