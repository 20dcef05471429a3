import type { X509Certificate } from 'node:crypto';
import type { ErrorSpec } from '../kernel/errors/meridian-error.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { type CertificateInput, toX509List } from './certificate-input.ts';
import { expiryOf } from './describe-certificate.ts';
import { diagnosisSpecs } from './diagnose/errors.ts';
import { resolveAnchors } from './trust-anchors.ts';
import { evaluateChain, trustThatFixes } from './verify/evaluate-chain.ts';
import type { TrustCode, TrustFinding } from './verify/trust-finding.ts';

export interface VerifyChainOptions {
  /** What the server presented (or a file holds), leaf first. */
  presented: readonly CertificateInput[];
  /** Trust store entries (PEM; a bundle may hold several). */
  trustAnchors: readonly string[];
  /** Also trust the public roots Node.js ships. Default false. */
  includePublicRoots?: boolean;
  /** Host name or IP the client connected to; skip the host check when absent. */
  host?: string;
  now?: number;
  /** Warn when the leaf expires within this many days. Default 30. */
  expiringWithinDays?: number;
}

export interface VerifyChainResult {
  ok: boolean;
  /** The code of the first problem (checks run in the order validity, chain, host, key usage). */
  code: 'ok' | TrustCode;
  /** Every problem, in plain words. */
  message: string;
  fix: string;
  /** Leaf → … → anchor (as far as it could be built). */
  path: X509Certificate[];
  anchor?: X509Certificate;
  /** The first problem. */
  finding?: TrustFinding;
  /** Every problem found: a chain may be untrusted and issued for another name at once. */
  findings: TrustFinding[];
  /** The certificate whose trust alone would make the chain pass, if there is one. */
  trustFixes?: X509Certificate;
  warnings: string[];
}

/**
 * Verifies a presented chain against trust anchors: check validity → check chain → check host
 * → check key usage, every check run even after a failure. The first problem decides the code.
 */
export function verifyChain(opts: VerifyChainOptions): VerifyChainResult {
  const presented = toX509List(opts.presented);
  if (presented.length === 0) throw new Error('verifyChain: no certificate presented');
  const now = opts.now ?? Date.now();
  const input = {
    presented,
    anchors: resolveAnchors(opts.trustAnchors, opts.includePublicRoots ?? false),
    host: opts.host,
    now,
  };
  const evaluation = evaluateChain(input);
  const path = evaluation.path.path;
  const warnings: string[] = [];
  const [first] = evaluation.findings;
  if (first) {
    const fixes = [...new Set(evaluation.findings.map((f) => diagnosisSpecs[f.code]!.fix))];
    return {
      ok: false,
      code: first.code,
      message: evaluation.findings.map((f) => f.message).join(' '),
      fix: fixes.join(' '),
      path,
      finding: first,
      findings: evaluation.findings,
      trustFixes: trustThatFixes(input, evaluation.findings),
      warnings,
    };
  }
  const leaf = presented[0]!;
  const exp = expiryOf(Date.parse(leaf.validFrom), Date.parse(leaf.validTo), {
    now,
    expiringWithinDays: opts.expiringWithinDays,
  });
  if (exp.state === 'expiring') warnings.push(`The server certificate expires in ${exp.daysLeft} day(s).`);
  return {
    ok: true,
    code: 'ok',
    message: 'The certificate chain is trusted.',
    fix: '',
    path,
    anchor: evaluation.path.anchor,
    findings: [],
    warnings,
  };
}

/** The spec of a trust/tls/net code. */
export function specOf(code: string): ErrorSpec {
  const spec = diagnosisSpecs[code];
  if (!spec) throw new Error(`unknown diagnosis code ${code}`);
  return spec;
}

/** A failed verification as the MeridianError routes and the outbound client throw. */
export function verificationError(result: VerifyChainResult, data?: Record<string, unknown>): MeridianError {
  return new MeridianError(specOf(result.code), `${result.message} ${result.fix}`, {
    data: {
      ...data,
      ...(result.trustFixes
        ? {
            suggestedTrust: {
              subject: result.trustFixes.subject,
              sha256Fingerprint: result.trustFixes.fingerprint256,
            },
          }
        : {}),
    },
  });
}
