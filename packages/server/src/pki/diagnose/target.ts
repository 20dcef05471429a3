import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { OutboundInvalidUrl } from '../../kernel/outbound/errors.ts';

export interface DiagnosisTarget {
  host: string;
  port: number;
  /** For messages: "host:port". */
  label: string;
}

/** The host and port of an https:// URL (or of "host:port"). */
export function parseTarget(urlOrHost: string): DiagnosisTarget {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHost) ? urlOrHost : `https://${urlOrHost}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MeridianError(
      OutboundInvalidUrl,
      `"${urlOrHost}" is not a URL: give https://host[:port]/path.`,
    );
  }
  if (url.protocol !== 'https:')
    throw new MeridianError(
      OutboundInvalidUrl,
      `Only https:// URLs have certificates to diagnose, not ${url.protocol}//.`,
    );
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : 443;
  return { host, port, label: `${url.hostname}:${port}` };
}

/**
 * The URL as a trace names it: scheme, host, port and path, without user information, query
 * or fragment (where a secret could travel).
 */
export function traceSubject(urlOrHost: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHost) ? urlOrHost : `https://${urlOrHost}`;
  try {
    const u = new URL(text);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return `(not a URL: ${urlOrHost
      .replace(/[?#].*$/s, '')
      .replace(/\/\/[^/@]*@/, '//')
      .slice(0, 100)})`;
  }
}
