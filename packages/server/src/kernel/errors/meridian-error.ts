/**
 * The error family. Every error Meridian answers with has a stable namespaced code
 * (`trust.unknown_ca`), an HTTP-ish status, an ArcGIS error code for the Sharing API body,
 * a human message that says the fix, and a log-only detail that is never sent to clients.
 * Each domain declares its errors with defineError(); the registry below is the catalogue
 * that scripts/gen-docs.ts writes to docs/errors.md.
 */
export interface ErrorSpec {
  code: string;
  /** HTTP status for /portaladmin and /admin bodies; also the Sharing API error code unless arcgisCode is set. */
  status: number;
  /** Code in the Sharing API body `{"error":{"code":…}}`: 498, 499, 403, 400, 500. */
  arcgisCode?: number;
  /** What it means, for the catalogue. */
  summary: string;
  /** What to do about it, for the catalogue and the message. */
  fix: string;
}

export const catalogue = new Map<string, ErrorSpec>();

export class MeridianError extends Error {
  readonly code: string;
  readonly status: number;
  readonly arcgisCode: number;
  /** Log-only detail: never sent to a client. */
  readonly detail: string | undefined;
  /** Extra lines for the `details` array of the answer. */
  readonly details: string[];
  /** Structured data a client may use (for example the presented chain of a diagnosis). */
  readonly data: Record<string, unknown> | undefined;

  constructor(
    spec: ErrorSpec,
    message?: string,
    opts: { detail?: string; details?: string[]; data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(
      message ?? `${spec.summary} ${spec.fix}`,
      opts.cause === undefined ? undefined : { cause: opts.cause },
    );
    this.name = 'MeridianError';
    this.code = spec.code;
    this.status = spec.status;
    this.arcgisCode = spec.arcgisCode ?? spec.status;
    this.detail = opts.detail;
    this.details = opts.details ?? [];
    this.data = opts.data;
  }
}

export function defineError(spec: ErrorSpec): ErrorSpec {
  if (catalogue.has(spec.code)) throw new Error(`error code ${spec.code} defined twice`);
  catalogue.set(spec.code, spec);
  return spec;
}

export function isMeridianError(err: unknown): err is MeridianError {
  return err instanceof MeridianError;
}
