import type { X509Certificate } from 'node:crypto';
import type { CertificatePath } from './build-path.ts';
import { checkChain } from './check-chain.ts';
import { checkHost } from './check-host.ts';
import { checkKeyUsage } from './check-key-usage.ts';
import { checkValidity } from './check-validity.ts';
import type { TrustFinding } from './trust-finding.ts';

export interface ChainInput {
  /** What the server presented, leaf first. */
  presented: readonly X509Certificate[];
  anchors: readonly X509Certificate[];
  /** Host name or IP address the client connects to; no host check when absent. */
  host?: string;
  now?: number;
  /** See KeyUsageOptions.rsaKeyExchange. */
  rsaKeyExchange?: boolean;
}

export type ChainCheckName = 'check_validity' | 'check_chain' | 'check_host' | 'check_key_usage';

export interface ChainEvaluation {
  /** Every problem found, in the order of the checks. */
  findings: TrustFinding[];
  /** The problems of each check (empty when it passed). */
  byCheck: Record<ChainCheckName, TrustFinding[]>;
  path: CertificatePath;
}

/** The dates of the presented certificates. */
export function checkPresentedValidity(i: ChainInput): TrustFinding[] {
  return checkValidity(i.presented, i.now, i.presented[0]);
}

/** The path to a trust anchor, and the dates of the trusted issuers it adds. */
export function checkTrustPath(i: ChainInput): { findings: TrustFinding[]; path: CertificatePath } {
  const result = checkChain(i.presented, i.anchors);
  const sent = new Set(i.presented.map((c) => c.fingerprint256));
  const added = result.path.path.filter((c) => !sent.has(c.fingerprint256));
  return {
    findings: [...(result.finding ? [result.finding] : []), ...checkValidity(added, i.now)],
    path: result.path,
  };
}

export function checkLeafHost(i: ChainInput): TrustFinding[] {
  const f = i.host ? checkHost(i.presented[0]!, i.host) : undefined;
  return f ? [f] : [];
}

export function checkLeafUsage(i: ChainInput): TrustFinding[] {
  return checkKeyUsage(i.presented[0]!, { rsaKeyExchange: i.rsaKeyExchange });
}

/**
 * Runs every check of a presented chain and keeps going after a failure, so that a chain
 * that is both untrusted and issued for another name reports both.
 */
export function evaluateChain(i: ChainInput): ChainEvaluation {
  const trust = checkTrustPath(i);
  const byCheck: ChainEvaluation['byCheck'] = {
    check_validity: checkPresentedValidity(i),
    check_chain: trust.findings,
    check_host: checkLeafHost(i),
    check_key_usage: checkLeafUsage(i),
  };
  return { findings: Object.values(byCheck).flat(), byCheck, path: trust.path };
}

/**
 * The certificate to offer for "trust this": only when the findings suggest one and trusting
 * it, with nothing else changed, leaves no problem at all.
 */
export function trustThatFixes(
  i: ChainInput,
  findings: readonly TrustFinding[],
): X509Certificate | undefined {
  const candidate = findings.find((f) => f.suggestedTrust)?.suggestedTrust;
  if (!candidate) return undefined;
  const after = evaluateChain({ ...i, anchors: [...i.anchors, candidate] });
  return after.findings.length === 0 ? candidate : undefined;
}
