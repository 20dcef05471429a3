import type { Kernel } from '../../kernel/kernel.ts';
import { createOutboundConnections } from '../../kernel/outbound/connection-pool.ts';
import {
  createOutboundClient,
  type OutboundClient,
  type OutboundClientOptions,
} from '../../kernel/outbound/guarded-client.ts';
import type { TrustAnchorsProvider } from '../../kernel/outbound/trust-anchors-provider.ts';
import { type DiagnoseOptions, diagnose } from '../diagnose/diagnose.ts';
import { diagnosisExplainer } from '../diagnose/explain-failure.ts';
import type { DiagnosisReport } from '../diagnose/report.ts';
import { createTrustAnchorsCache } from './trust-anchors-cache.ts';

/**
 * How the portal calls other sites (partner portals, GIS servers, SAML metadata, identity
 * providers): one trust store (the portal's root CA + the administrator's entries + the public
 * roots when outbound.trustPublicRoots), one address policy, the same limits. Available to
 * every domain as ctx.outbound.
 */
export interface PortalOutbound {
  /** The trust store as PEM, cached and refreshed live on every node. */
  readonly trustAnchors: TrustAnchorsProvider;
  /** outbound.trustPublicRoots. */
  readonly includePublicRoots: boolean;
  /** The guarded HTTPS client; `overrides` may tighten limits (maxBytes, timeouts) for one use. */
  client(overrides?: Partial<OutboundClientOptions>): OutboundClient;
  /** Explains whether the portal can trust https://host[:port]/path, and how to fix it; leaves a trace. */
  diagnose(url: string, overrides?: Partial<DiagnoseOptions>): Promise<DiagnosisReport>;
  /** Drops the cached trust store of this node (other nodes are told through the bus). */
  invalidate(): void;
  /** Closes the kept-alive connections (the node stops). */
  close(): void;
}

/** The kernel's pipeline runner keeps a trace of every diagnosis (those the client runs to explain a refused certificate too). */
export function createPortalOutbound(
  ctx: Pick<Kernel, 'config' | 'db' | 'bus' | 'pipelines'>,
): PortalOutbound {
  const cache = createTrustAnchorsCache(ctx);
  const { allowLoopback, allowPrivate, trustPublicRoots } = ctx.config.outbound;
  const pipelines = ctx.pipelines;
  const run = (url: string, overrides: Partial<DiagnoseOptions> = {}) =>
    diagnose(url, {
      trustAnchors: cache.provider,
      includePublicRoots: trustPublicRoots,
      allowLoopback,
      allowPrivate,
      expiringWithinDays: ctx.config.tls.expiryWarningDays,
      pipelines,
      ...overrides,
    });
  // Every client of this trust store shares its secure context and kept-alive connections.
  const connections = createOutboundConnections();
  const base: OutboundClientOptions = {
    trustAnchors: cache.provider,
    connections,
    includePublicRoots: trustPublicRoots,
    allowLoopback,
    allowPrivate,
    explainCertificateFailure: diagnosisExplainer(run),
  };
  const shared = createOutboundClient(base);
  return {
    trustAnchors: cache.provider,
    includePublicRoots: trustPublicRoots,
    client: (overrides) => (overrides ? createOutboundClient({ ...base, ...overrides }) : shared),
    diagnose: run,
    invalidate: cache.invalidate,
    close: connections.close,
  };
}
