/**
 * The redirect back to the app: parameters in the query (authorization code flow, RFC 6749
 * section 4.1.2) or in the fragment (implicit flow, section 4.2.2), added to the registered
 * URI without disturbing its own query. Values are percent-encoded (a space is %20, not +:
 * clients decode fragments with decodeURIComponent).
 */
export function redirectTo(
  redirectUri: string,
  params: Record<string, string | undefined>,
  where: 'query' | 'fragment',
): string {
  const encoded = Object.entries(params)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  if (where === 'fragment') return `${redirectUri}#${encoded}`;
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`;
}
