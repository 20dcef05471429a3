import type { FastifyInstance } from 'fastify';
import { registerCors, splitOrigins } from '../http/cors.ts';
import { BadRequest } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { PortalSettingsStore } from './settings.ts';

/** The browser pages of sign-in are the portal's own: never called cross-origin. */
const PAGES = /^\/sharing\/rest\/oauth2\/(authorize|signin|approval|signout|session)\/?$/;

/** The organisation's allowed origins, as portals/self/update takes them: comma-separated, each an origin. */
export function parseOrigins(value: string): string[] {
  const { origins, notAnOrigin } = splitOrigins(value);
  if (notAnOrigin !== undefined)
    throw new MeridianError(
      BadRequest,
      `allowedOrigins: '${notAnOrigin.slice(0, 200)}' is not an origin. Write scheme, host and port only, as https://app.example.org or https://app.example.org:8443, separated by commas.`,
    );
  return [...new Set(origins)];
}

/** Browser apps on other origins call the Sharing API (its pages excepted) when the organisation allows their origin. */
export function allowedOriginsCors(app: FastifyInstance, settings: PortalSettingsStore): void {
  registerCors(
    app,
    {
      applies: (path) => path.startsWith('/sharing/rest/') && !PAGES.test(path),
      allows: async (origin) => {
        const allowed = (await settings.get()).allowedOrigins;
        return allowed.length === 0 || allowed.includes(origin);
      },
    },
    '/sharing/rest',
  );
}
