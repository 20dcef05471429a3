import type { X509Certificate } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { displayName, issuerOf } from './describe-certificate.ts';
import { ChainIncomplete } from './errors.ts';
import { parseAnchors } from './trust-anchors.ts';
import { buildPath } from './verify/build-path.ts';

export interface CompletedChain {
  /** Leaf → … → root, as far as known. */
  chain: X509Certificate[];
  complete: boolean;
  warnings: string[];
}

/**
 * Orders a leaf's chain leaf → root, taking issuers from the file's other certificates and
 * then from the trust store. Refuses (pki.chain_incomplete) when an issuer is missing,
 * unless `allowIncomplete`.
 */
export function completeChain(
  leaf: X509Certificate,
  others: readonly X509Certificate[],
  trustAnchors: readonly string[],
  allowIncomplete = false,
): CompletedChain {
  const anchors = parseAnchors(trustAnchors).anchors;
  const built = buildPath(leaf, others, anchors, { toRoot: true });
  const last = built.path.at(-1)!;
  const warnings: string[] = [];
  const unused = others.filter((o) => !built.path.some((p) => p.fingerprint256 === o.fingerprint256));
  if (unused.length)
    warnings.push(
      `Ignored ${unused.length} certificate(s) that are not part of this chain: ${unused.map(displayName).join(', ')}.`,
    );
  switch (built.end) {
    case 'anchor':
      return { chain: built.path, complete: true, warnings };
    case 'untrusted_root':
      if (built.path.length > 1)
        warnings.push(
          `The root "${displayName(last)}" is not in the trust store; clients of this server must trust it.`,
        );
      return { chain: built.path, complete: true, warnings };
    case 'missing_issuer': {
      const message = `The chain of "${displayName(leaf)}" cannot be completed: the certificate of "${issuerOf(last)}" (issuer of "${displayName(last)}") is neither in the file nor in the trust store. Import it as a root or intermediate first, or add it to the file.`;
      if (!allowIncomplete) throw new MeridianError(ChainIncomplete, message);
      warnings.push(message);
      return { chain: built.path, complete: false, warnings };
    }
    default:
      throw new MeridianError(
        ChainIncomplete,
        `The chain of "${displayName(leaf)}" is invalid: "${displayName(built.path.at(-2) ?? last)}" was not properly issued by "${displayName(built.offending ?? last)}" (${built.reason ?? built.end}).`,
      );
  }
}
