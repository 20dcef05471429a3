import { catalogue, MeridianError } from '../errors/meridian-error.ts';
import { classifyNetworkError, isCertificateError } from './classify-connection-error.ts';
import { CertificateRejected, NetworkError } from './net-errors.ts';

/** What the client knows when a server's certificate was refused, for the explainer. */
export interface CertificateFailure {
  /** The URL of the hop that failed. */
  url: string;
  /** The address connected to (already checked against the address policy). */
  address: string;
  /** The error Node reported (its code is one of CERTIFICATE_VERIFY_CODES). */
  error: Error;
  /** The trust store the connection was made with. */
  trustAnchors: readonly string[];
  includePublicRoots: boolean;
  /** Time left for the explanation (ms). */
  timeoutMs: number;
}

/**
 * Explains a refused certificate in the administrator's terms (which certificate, why, the
 * fix), usually by diagnosing the connection again. Injected by whoever builds the client (the
 * pki module), so that the kernel knows nothing of certificate checks. Undefined: no better
 * explanation than Node's.
 */
export type CertificateExplainer = (failure: CertificateFailure) => Promise<MeridianError | undefined>;

/** The MeridianError a failed connection is reported with. */
export async function connectionFailure(
  err: unknown,
  hop: {
    url: URL;
    label: string;
    address: string | undefined;
    trustAnchors: readonly string[];
    includePublicRoots: boolean;
    timeoutMs: number;
    explain: CertificateExplainer | undefined;
  },
): Promise<MeridianError> {
  if (err instanceof MeridianError) return err;
  if (hop.address && hop.url.protocol === 'https:' && isCertificateError(err)) {
    const explained = await hop.explain?.({
      url: hop.url.toString(),
      address: hop.address,
      error: err as Error,
      trustAnchors: hop.trustAnchors,
      includePublicRoots: hop.includePublicRoots,
      timeoutMs: hop.timeoutMs,
    });
    if (explained) return explained;
    return new MeridianError(
      CertificateRejected,
      `The certificate of ${hop.label} was refused (${(err as Error).message}). ${CertificateRejected.fix}`,
      { cause: err, detail: String(err) },
    );
  }
  const c = classifyNetworkError(err, hop.label);
  const spec = catalogue.get(c.code) ?? NetworkError;
  return new MeridianError(spec, `${c.message} ${spec.fix}`, { cause: err, detail: String(err) });
}
