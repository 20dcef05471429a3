import type { FastifyReply, FastifyRequest } from 'fastify';
import { databaseUnavailable, isConnectionFailure } from '../kernel/db/unavailable.ts';
import { BadRequest, Internal, PayloadTooLarge } from '../kernel/errors/common.ts';
import { isMeridianError, MeridianError } from '../kernel/errors/meridian-error.ts';
import { type ErrorStyle, errorStyleByPrefix } from './error-style.ts';
import type { ArcgisErrorJson, PortalAdminErrorJson } from './schemas.ts';

/** Maps framework errors (body too large, bad JSON, schema failures) into the catalogue. */
export function toMeridianError(err: unknown): MeridianError {
  if (isMeridianError(err)) return err;
  if (isConnectionFailure(err)) return databaseUnavailable(err);
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

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The error as a page, for browser flows (a sign-in redirect that failed, say). */
function errorPage(e: MeridianError): string {
  const details = e.details.map((d) => `<p>${escapeHtml(d)}</p>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Meridian: ${escapeHtml(
    e.message,
  )}</title></head><body><h1>${escapeHtml(e.message)}</h1>${details}<p>Error code: <code>${escapeHtml(
    e.code,
  )}</code></p></body></html>`;
}

/** The style the request's route declared; by path for requests no route answers. */
export function errorStyleOf(request: FastifyRequest): ErrorStyle | 'plain' {
  const declared = (request.routeOptions.config as { errors?: ErrorStyle } | undefined)?.errors;
  return declared ?? errorStyleByPrefix(request.url);
}

/**
 * Renders an error the way the clients of the route expect it: the Sharing API answers HTTP
 * 200 with {"error":{…}} (arcgis-rest-js refreshes its token only on 498/499 in a 2xx body);
 * /portaladmin and /admin answer {"status":"error","messages":[…],"code":N}; a browser flow
 * gets a page with the HTTP status. The JSON is written here, not by the route's serializer
 * (which knows only the success answer).
 */
export function renderError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const e = toMeridianError(err);
  if (e.status >= 500) request.log.error({ err, code: e.code }, 'request failed');
  else request.log.info({ code: e.code, detail: e.detail }, e.message);
  const style = errorStyleOf(request);
  const status = e.status >= 400 && e.status < 600 ? e.status : 500;
  // The API styles answer errors with HTTP 200 as ArcGIS does, except a service that is away:
  // load balancers and clients retry a 503.
  const apiStatus = status === 503 ? 503 : 200;
  if (status === 503) reply.header('retry-after', '5');
  if (style === 'portaladmin') {
    const body: PortalAdminErrorJson = {
      status: 'error',
      messages: [e.message, ...e.details],
      code: e.status,
      errorCode: e.code,
      ...e.data,
    };
    return reply.code(apiStatus).type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
  if (style === 'arcgis') {
    const body: ArcgisErrorJson = {
      error: { code: e.arcgisCode, messageCode: e.code, message: e.message, details: e.details, ...e.data },
    };
    return reply.code(apiStatus).type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
  if (style === 'html')
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'")
      .send(errorPage(e));
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code: e.code, message: e.message } }));
}
