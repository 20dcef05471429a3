import { useSyncExternalStore } from 'react';

/** Base path the UI is served under ('/home/'). */
export const BASE = import.meta.env.BASE_URL.endsWith('/')
  ? import.meta.env.BASE_URL
  : `${import.meta.env.BASE_URL}/`;

const CHANGE = 'meridian:navigate';

export interface Location {
  /** Path below the base, without a leading slash: '' | 'item.html' | ... */
  page: string;
  params: URLSearchParams;
  /** Full path + query, for returning here after sign-in. */
  href: string;
}

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(CHANGE, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(CHANGE, callback);
  };
}

function snapshot(): string {
  return window.location.pathname + window.location.search;
}

export function parseLocation(href: string): Location {
  const url = new URL(href, window.location.origin);
  let page = url.pathname.startsWith(BASE)
    ? url.pathname.slice(BASE.length)
    : url.pathname.replace(/^\//, '');
  page = page.replace(/\/+$/, '');
  return { page, params: url.searchParams, href: url.pathname + url.search };
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  return parseLocation(href);
}

/** Builds an in-app URL: href('item.html', { id }) → '/home/item.html?id=…'. */
export function href(page: string, params: Record<string, string | number | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, String(v));
  const query = search.toString();
  return `${BASE}${page}${query ? `?${query}` : ''}`;
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  window.dispatchEvent(new Event(CHANGE));
}

/** Only same-app paths are accepted as a post-sign-in destination (no open redirect). */
export function safeNext(next: string | null): string {
  if (next?.startsWith(BASE) && !next.startsWith('//') && !next.includes('\\')) return next;
  return href('content.html');
}
