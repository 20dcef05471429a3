import type { X509Certificate } from 'node:crypto';
import type { ErrorSpec } from '../errors/meridian-error.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import { type CertificateInput, toX509List } from './certificate-input.ts';
import { expiryOf } from './describe-certificate.ts';
import { diagnosisSpecs } from './diagnose/errors.ts';
import { resolveAnchors } from './trust-anchors.ts';
import { checkChain } from './verify/check-chain.ts';
import { checkHost } from './verify/check-host.ts';
import { checkKeyUsage } from './verify/check-key-usage.ts';
import { checkValidity } from './verify/check-validity.ts';
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
  code: 'ok' | TrustCode;
  message: string;
  fix: string;
  /** Leaf → … → anchor (as far as it could be built). */
  path: X509Certificate[];
  anchor?: X509Certificate;
  finding?: TrustFinding;
  warnings: string[];
}

/**
 * Verifies a presented chain against trust anchors, as a list of named steps:
 * check validity → check chain → check host → check key usage. The first failing
 * step decides the code.
 */
export function verifyChain(opts: VerifyChainOptions): VerifyChainResult {
  const presented = toX509List(opts.presented);
  const now = opts.now ?? Date.now();
  const anchors = resolveAnchors(opts.trustAnchors, opts.includePublicRoots ?? false);
  const warnings: string[] = [];
  const fail = (finding: TrustFinding, path: X509Certificate[] = presented): VerifyChainResult => ({
    ok: false,
    code: finding.code,
    message: finding.message,
    fix: diagnosisSpecs[finding.code]!.fix,
    path,
    finding,
    warnings,
  });
  if (presented.length === 0) throw new Error('verifyChain: no certificate presented');

  const validity = checkValidity(presented, now);
  if (validity) return fail(validity);

  const chain = checkChain(presented, anchors);
  if (chain.finding) return fail(chain.finding, chain.path.path);
  const path = chain.path.path;

  const anchorValidity = checkValidity(
    path.filter((c) => !presented.includes(c)),
    now,
  );
  if (anchorValidity) return fail(anchorValidity, path);

  if (opts.host) {
    const host = checkHost(presented[0]!, opts.host);
    if (host) return fail(host, path);
  }

  const usage = checkKeyUsage(presented[0]!);
  if (usage) return fail(usage, path);

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
    anchor: chain.path.anchor,
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
      ...(result.finding?.suggestedTrust
        ? {
            suggestedTrust: {
              subject: result.finding.suggestedTrust.subject,
              sha256Fingerprint: result.finding.suggestedTrust.fingerprint256,
            },
          }
        : {}),
    },
  });
}
