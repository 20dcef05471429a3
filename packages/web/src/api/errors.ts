/** One error shape for both wire formats (Sharing API and /portaladmin). */
export class ApiError extends Error {
  readonly code: number;
  readonly details: string[];
  /** The portal's namespaced error code (`messageCode` / `errorCode`), e.g. `pki.unsuitable_server_certificate`. */
  readonly errorCode: string | undefined;
  /** The error's other fields (for example `lockedUntil`, or `unsuitable` for a refused certificate). */
  readonly data: Record<string, unknown>;

  constructor(
    code: number,
    message: string,
    details: string[] = [],
    errorCode?: string,
    data: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.details = details;
    this.errorCode = errorCode;
    this.data = data;
  }

  /** 498 invalid/expired token, 499 token required: the session is gone. */
  get isAuthError(): boolean {
    return this.code === 498 || this.code === 499;
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Reads an error out of a response body, or returns null when the body is a success.
 * - Sharing API: `{"error":{"code":N,"message":"...","details":[]}}` (HTTP 200)
 * - /portaladmin: `{"status":"error","messages":[...],"code":N}`
 * - framework errors (e.g. unknown route): `{"statusCode":404,"error":"Not Found","message":"..."}`
 */
export function errorFromBody(body: unknown, httpStatus: number): ApiError | null {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const err = b.error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      const code = typeof e.code === 'number' ? e.code : httpStatus;
      const details = strings(e.details);
      const message =
        typeof e.message === 'string' && e.message ? e.message : details[0] || 'Request failed.';
      const { code: _c, message: _m, details: _d, messageCode, ...data } = e;
      return new ApiError(code, message, details, stringOrUndefined(messageCode), data);
    }
    if (b.status === 'error') {
      const messages = strings(b.messages);
      const code = typeof b.code === 'number' ? b.code : httpStatus;
      const { status: _s, messages: _m, code: _c, errorCode, ...data } = b;
      return new ApiError(
        code,
        messages.join(' ') || 'Request failed.',
        messages,
        stringOrUndefined(errorCode),
        data,
      );
    }
    if (typeof err === 'string' || (httpStatus >= 400 && typeof b.message === 'string')) {
      const code = typeof b.statusCode === 'number' ? b.statusCode : httpStatus;
      const message = typeof b.message === 'string' && b.message ? b.message : String(err);
      return new ApiError(code, message);
    }
  }
  if (httpStatus >= 400) return new ApiError(httpStatus, `The server answered HTTP ${httpStatus}.`);
  return null;
}

export function messageOf(err: unknown): string {
  if (err instanceof ApiError) {
    const extra = err.details.filter((d) => d !== err.message);
    return extra.length ? `${err.message} (${extra.join('; ')})` : err.message;
  }
  if (err instanceof Error) return err.message;
  return String(err);
}
