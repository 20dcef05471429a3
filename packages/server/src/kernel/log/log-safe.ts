/**
 * Query parameters whose values never reach the log, matched on the *decoded* name (so that
 * `%74oken=` or `PASSWORD=` is caught too): every name that says password, token, secret or
 * key material, and the protocol messages that carry credentials.
 */
const SECRET_NAME =
  /password|passwd|token|secret|^code$|code_verifier|oauth_state|^key$|apikey|assertion|samlresponse|samlrequest|credential|^sig$|signature/i;

function decodedName(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** The URL with the value of every secret parameter replaced by [redacted]. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = decodedName(pair.slice(0, eq));
      // A name that does not even decode is not worth the risk.
      return name === undefined || SECRET_NAME.test(name) ? `${pair.slice(0, eq)}=[redacted]` : pair;
    });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** pino serializers for Fastify's request log lines: no tokens, cookies or passwords. */
export const logSerializers = {
  req(req: { method: string; url: string; ip?: string; id?: string }) {
    return { method: req.method, url: redactUrl(req.url), ip: req.ip, id: req.id };
  },
};
