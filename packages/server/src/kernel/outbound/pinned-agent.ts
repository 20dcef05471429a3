/**
 * A keep-alive HTTPS agent whose pooled connections are keyed by the address each was made to,
 * as well as by Node's usual key (host name, port, server name, TLS options): a request reuses a
 * connection only to the address it resolved and the address policy allowed for it now, so
 * keeping connections open cannot carry a request to an address a new DNS answer no longer
 * gives. One agent serves one version of the trust store (connection-pool.ts); retire() ends it.
 */
import type { ClientRequestArgs } from 'node:http';
import { Agent, type RequestOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

/** The request option naming the address the connection goes to (open-hop.ts's lookup gives only it). */
export interface PinnedAddress {
  pinnedAddress: string;
}

/** An HTTPS request through the agent: tls.connect takes the secure context (Node's typings omit it). */
export type PinnedRequestOptions = RequestOptions & PinnedAddress & Pick<ConnectionOptions, 'secureContext'>;

export class PinnedAgent extends Agent {
  #retired = false;
  readonly #maxAgeMs: number;
  readonly #firstKept = new WeakMap<Socket, number>();

  /**
   * `maxAgeMs`: a connection is kept for reuse only this long after its first answer. A kept
   * connection was verified against the certificate the peer served when it opened; bounding
   * its age makes a peer's new certificate (from a CA this node may not trust) seen within it,
   * even by a connection that never goes idle (a long-poll).
   */
  constructor(idleTimeoutMs: number, maxAgeMs = Number.POSITIVE_INFINITY) {
    // No TLS session cache: a resumed session skips verifying the certificate the server presents
    // now, so a portal or server that swapped to a certificate from a CA this node does not trust
    // (its session tickets kept) would go on being trusted. Kept-alive connections save the
    // handshakes that matter; a new connection verifies in full.
    super({ keepAlive: true, timeout: idleTimeoutMs, scheduling: 'lifo', maxCachedSessions: 0 });
    this.#maxAgeMs = maxAgeMs;
  }

  override getName(options?: ClientRequestArgs & Partial<PinnedAddress>): string {
    const pinned = options?.pinnedAddress;
    if (!pinned) throw new Error('PinnedAgent: a request without pinnedAddress');
    return `${super.getName(options)}|${pinned}`;
  }

  /** A retired agent keeps no connection: idle ones close now, busy ones when their answer ends. */
  override keepSocketAlive(socket: Socket): boolean {
    // Node's agent keeps the socket when this is truthy (its typings say void).
    const now = Date.now();
    const first = this.#firstKept.get(socket) ?? now;
    if (!this.#firstKept.has(socket)) this.#firstKept.set(socket, now);
    if (now - first > this.#maxAgeMs) return false;
    return !this.#retired && Boolean(super.keepSocketAlive(socket));
  }

  retire(): void {
    this.#retired = true;
    for (const sockets of Object.values(this.freeSockets)) for (const s of sockets ?? []) s.destroy();
  }
}
