/**
 * The outbound client's TLS state shared across requests: one secure context per version of the
 * trust store (trust-context.ts) and one keep-alive agent (pinned-agent.ts) holding the
 * connections made with it. A request passes the trust store it just read; when that differs
 * from the current version, a new context and agent are made and the old agent is retired (its
 * idle connections closed, the busy ones when they finish), so a certificate authority added or
 * removed applies to the very next connection, and no connection or TLS session verified under
 * the old trust store is used again. Share one per trust store (createOutboundClient's
 * `connections`): the pki module's clients all use the portal's.
 */
import type { SecureContext } from 'node:tls';
import { PinnedAgent } from './pinned-agent.ts';
import { buildSecureContext } from './trust-context.ts';

/** How idle connections are kept: at most this long (the server's Keep-Alive hint shortens it). */
export const DEFAULT_IDLE_TIMEOUT_MS = 5_000;
/** A kept-alive connection is reused for at most this long (then the peer's certificate is checked again). */
export const DEFAULT_MAX_AGE_MS = 30_000;

export interface TrustConnections {
  /** The context servers are verified with: this trust store, with or without the public roots. */
  context: SecureContext;
  /** Where the connection is taken from and returned to. */
  agent: PinnedAgent;
}

export interface OutboundConnections {
  /** The context and agent for `anchors` (as just read from the trust store). */
  forTrust(anchors: readonly string[], includePublicRoots: boolean): TrustConnections;
  /** Closes every idle connection and keeps no more; busy ones close when their answer ends. */
  close(): void;
  /** Secure contexts built so far, and connections held now (for tests and metrics). */
  stats(): { contextsBuilt: number; trustVersion: number; openSockets: number; idleSockets: number };
}

interface Generation {
  /** A copy of the trust store it was made for (a provider may change its array in place). */
  anchors: readonly string[];
  agent: PinnedAgent;
  contexts: Map<boolean, SecureContext>;
}

export function createOutboundConnections(
  options: { idleTimeoutMs?: number; maxAgeMs?: number } = {},
): OutboundConnections {
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  let current: Generation | undefined;
  let contextsBuilt = 0;
  let trustVersion = 0;
  let closed = false;

  const generationFor = (anchors: readonly string[]): Generation => {
    if (current && sameEntries(current.anchors, anchors)) return current;
    current?.agent.retire();
    trustVersion++;
    const agent = new PinnedAgent(idleTimeoutMs, maxAgeMs);
    if (closed) agent.retire();
    current = { anchors: [...anchors], agent, contexts: new Map() };
    return current;
  };

  const count = (lists: NodeJS.ReadOnlyDict<unknown[]> | undefined) =>
    Object.values(lists ?? {}).reduce((n, l) => n + (l?.length ?? 0), 0);

  return {
    forTrust(anchors, includePublicRoots) {
      const gen = generationFor(anchors);
      let context = gen.contexts.get(includePublicRoots);
      if (!context) {
        context = buildSecureContext(anchors, includePublicRoots);
        contextsBuilt++;
        gen.contexts.set(includePublicRoots, context);
      }
      return { context, agent: gen.agent };
    },
    close() {
      closed = true;
      current?.agent.retire();
    },
    stats() {
      return {
        contextsBuilt,
        trustVersion,
        openSockets: count(current?.agent.sockets),
        idleSockets: count(current?.agent.freeSockets),
      };
    },
  };
}

/** The same PEM entries in the same order (the trust store's cache hands out the same strings). */
function sameEntries(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((pem, i) => pem === b[i]);
}
