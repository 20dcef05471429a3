/** Query parameters whose values never reach the log. */
const SECRET_PARAMS =
  /([?&](?:token|password|newPassword|client_secret|code|SAMLResponse|SAMLRequest)=)[^&]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[redacted]');
}

/** pino serializers for Fastify's request log lines: no tokens, cookies or passwords. */
export const logSerializers = {
  req(req: { method: string; url: string; ip?: string; id?: string }) {
    return { method: req.method, url: redactUrl(req.url), ip: req.ip, id: req.id };
  },
};
