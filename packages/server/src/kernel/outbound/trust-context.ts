/**
 * The TLS secure context outbound connections verify servers with, built from the trust store
 * (and the public roots when asked). Building one parses every certificate (~150 with the public
 * roots) into a native store: too slow and too memory-hungry to do per connection, so
 * connection-pool.ts keeps one per version of the trust store.
 */
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';

/** The context for one trust store; verification settings that belong to the context are set here. */
export function buildSecureContext(anchors: readonly string[], includePublicRoots: boolean): SecureContext {
  return createSecureContext({
    ca: includePublicRoots ? [...anchors, ...rootCertificates] : [...anchors],
    // A trusted intermediate or server certificate ends the path, as in verify-chain.ts.
    allowPartialTrustChain: true,
    minVersion: 'TLSv1.2',
  });
}
