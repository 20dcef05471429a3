/** Base path the UI is served under ('/home/'), from Vite's `base`. */
export const BASE = import.meta.env.BASE_URL.endsWith('/')
  ? import.meta.env.BASE_URL
  : `${import.meta.env.BASE_URL}/`;

/** The router's basename: BASE without its trailing slash ('/home'). */
export const BASENAME = BASE.replace(/\/+$/, '');

export type PageParams = Record<string, string | number | undefined>;

/**
 * A page's path for the router (links and navigate add the basename): pagePath('item.html',
 * { id }) → '/item.html?id=…', shown in the address bar as '/home/item.html?id=…'. Empty
 * parameters are left out.
 */
export function pagePath(page: string, params: PageParams = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const query = search.toString();
  return `/${page}${query ? `?${query}` : ''}`;
}

/** The address-bar path of a router location ('/item.html', '?id=x' → '/home/item.html?id=x'). */
export function fullPath(location: { pathname: string; search: string }): string {
  return `${BASENAME}${location.pathname}${location.search}`;
}

/**
 * The router path to go to after signing in, from a `next` parameter that holds an address-bar
 * path under BASE ('/home/item.html?id=x' → '/item.html?id=x'). Anything else (another site,
 * '//host', a backslash) gives My content: no open redirect.
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith(BASE) || next.startsWith('//') || next.includes('\\'))
    return pagePath('content.html');
  const rest = next.slice(BASE.length);
  if (rest.startsWith('/')) return pagePath('content.html');
  return `/${rest}`;
}
