import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { CertificateExplainer } from '../../kernel/outbound/connection-failure.ts';
import { classifyConnectionError } from './classify-error.ts';
import type { DiagnoseOptions } from './diagnose.ts';
import { diagnosisSpecs } from './errors.ts';
import { type DiagnosisReport, diagnosisError } from './report.ts';

/**
 * What the guarded client calls when a server's certificate is refused: the connection is
 * diagnosed again (same address, same trust store), and the error carries the diagnosis
 * (trust.* code, the chain, the fix). Should the diagnosis find nothing wrong, Node's
 * verification code is translated instead.
 */
export function diagnosisExplainer(
  diagnose: (url: string, opts: DiagnoseOptions) => Promise<DiagnosisReport>,
): CertificateExplainer {
  return async (failure) => {
    const report = await diagnose(failure.url, {
      trustAnchors: failure.trustAnchors,
      includePublicRoots: failure.includePublicRoots,
      address: failure.address,
      timeoutMs: failure.timeoutMs,
    });
    if (!report.ok) return diagnosisError(report);
    const u = new URL(failure.url);
    const c = classifyConnectionError(failure.error, `${u.hostname}:${u.port || 443}`);
    const spec = diagnosisSpecs[c.code];
    if (!spec) return undefined;
    return new MeridianError(spec, `${c.message} ${spec.fix}`, {
      cause: failure.error,
      detail: String(failure.error),
    });
  };
}
