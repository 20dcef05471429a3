import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { ServerInvalidInput } from './errors.ts';

/** What follows a server's root in its URLs: a client takes what precedes these as the root. */
const ROOT_ENDS = /\/(rest|admin|tokens|manager)(\/.*)?$/i;

export interface ServerUrl {
  /** https://host[:port]/context, host lower-cased, no trailing slash: the url and the token audience. */
  url: string;
  /** https://host:port/context (port always written): what serverUrl is matched on. */
  key: string;
  /** host:port, for names and messages. */
  name: string;
}

function parse(text: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    throw new MeridianError(ServerInvalidInput, `'${what}' is not a URL: "${text.slice(0, 200)}".`);
  }
  if (u.protocol !== 'https:')
    throw new MeridianError(
      ServerInvalidInput,
      `'${what}' must be an https:// URL (${u.protocol}// given): a portal federates servers over HTTPS only.`,
    );
  if (u.username || u.password || u.search || u.hash)
    throw new MeridianError(
      ServerInvalidInput,
      `'${what}' must be a plain URL, without credentials, query or fragment.`,
    );
  return u;
}

/**
 * A server root from any URL of the server (its root, rest/info, a service URL, the admin URL):
 * the host lower-cased, the path cut before /rest, /admin or /tokens, no trailing slash.
 */
export function serverRoot(text: string, what = 'url'): ServerUrl {
  const u = parse(text, what);
  const path = u.pathname.replace(ROOT_ENDS, '').replace(/\/+$/, '');
  const port = u.port || '443';
  return {
    url: `${u.origin}${path}`,
    key: `https://${u.hostname}:${port}${path}`,
    name: `${u.hostname}:${port}`,
  };
}

/** The administrator URL: as given (checked, no trailing slash), else the root + /admin. */
export function adminUrlOf(root: ServerUrl, adminUrl: string | undefined): string {
  if (!adminUrl?.trim()) return `${root.url}/admin`;
  const u = parse(adminUrl, 'adminUrl');
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}
