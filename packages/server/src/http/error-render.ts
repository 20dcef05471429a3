import type { FastifyReply, FastifyRequest } from 'fastify';
import { BadRequest, Internal, PayloadTooLarge } from '../kernel/errors/common.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';

/** Which of the two ArcGIS error shapes a path answers with. */
export function errorStyle(url: string): 'admin' | 'sharing' | 'plain' {
  const path = url.split('?')[0]!;
  if (path.startsWith('/portaladmin') || path.startsWith('/admin') || path.startsWith('/arcgis/admin'))
    return 'admin';
  if (path.startsWith('/sharing') || path.startsWith('/rest') || path.startsWith('/arcgis/'))
    return 'sharing';
  return 'plain';
}

/** Maps framework errors (body too large, bad JSON, schema failures) into the catalogue. */
export function toMeridianError(err: unknown): MeridianError {
  if (isMeridianError(err)) return err;
  const e = err as { code?: string; statusCode?: number; message?: string; validation?: unknown };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413)
    return new MeridianError(PayloadTooLarge);
  // busboy (under @fastify/multipart) throws plain Errors for a broken multipart body.
  if (
    /Unexpected end of (form|multipart data)|Malformed part header|Boundary not found|Malformed urlencoded form/i.test(
      e.message ?? '',
    )
  )
    return new MeridianError(
      BadRequest,
      `Malformed multipart body: ${e.message}. Send a complete multipart/form-data body.`,
    );
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new MeridianError(BadRequest, `Invalid request: ${e.message ?? 'malformed request'}.`);
  return new MeridianError(Internal, undefined, { cause: err });
}

/**
 * Renders an error the way the clients of each API expect it: the Sharing API answers HTTP
 * 200 with {"error":{…}} (arcgis-rest-js refreshes its token only on 498/499 in a 2xx body);
 * /portaladmin and /admin answer {"status":"error","messages":[…],"code":N}.
 */
export function renderError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const e = toMeridianError(err);
  if (e.status >= 500) request.log.error({ err, code: e.code }, 'request failed');
  else request.log.info({ code: e.code, detail: e.detail }, e.message);
  const style = errorStyle(request.url);
  if (style === 'admin') {
    return reply
      .code(200)
      .type('application/json')
      .send({
        status: 'error',
        messages: [e.message, ...e.details],
        code: e.status,
        errorCode: e.code,
        ...e.data,
      });
  }
  if (style === 'sharing') {
    return reply
      .code(200)
      .type('application/json')
      .send({
        error: { code: e.arcgisCode, messageCode: e.code, message: e.message, details: e.details, ...e.data },
      });
  }
  return reply
    .code(e.status >= 400 && e.status < 600 ? e.status : 500)
    .send({ error: { code: e.code, message: e.message } });
}
