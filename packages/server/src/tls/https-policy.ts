import type { HttpsPolicy } from '../http/app.ts';
import type { WebTls } from './web-tls.ts';

/** Paths that never work over plain HTTP: credentials, tokens, sessions, administration. */
const ALWAYS_HTTPS = [
  '/sharing/rest/generateToken',
  '/sharing/rest/web/session',
  '/sharing/rest/oauth2',
  '/portaladmin',
  '/admin',
];

export type { HttpsPolicy };

function under(path: string, prefix: string): boolean {
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(`${p}/`);
}

export function createHttpsPolicy(tls: WebTls, requireEverywhere: () => Promise<boolean>): HttpsPolicy {
  return {
    hsts() {
      const s = tls.settings;
      return s?.HSTSEnabled ? `max-age=${s.hstsMaxAgeSeconds}; includeSubDomains` : undefined;
    },
    async requiresHttps(path) {
      if (ALWAYS_HTTPS.some((p) => under(path, p))) return true;
      if (await requireEverywhere()) return true;
      return (tls.settings?.httpsRequiredPaths ?? []).some((p) => under(path, p));
    },
  };
}
