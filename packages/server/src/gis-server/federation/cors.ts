/**
 * CORS on the GIS server's REST API (/arcgis/rest/*): the pages of the portal this server is
 * federated with read its services from the browser (the portal's item pages), as may the
 * origins its administrator lists in cors.allowedOrigins. Nobody else, never the administrator
 * API, never with credentials (http/cors.ts).
 */
import type { FastifyInstance } from 'fastify';
import { registerCors, splitOrigins } from '../../http/cors.ts';
import type { SettingDef } from '../../kernel/config/setting-def.ts';
import type { FederationStatus } from './create-federation.ts';

/** cors.allowedOrigins: comma-separated origins, each scheme, host and port only. */
function originsProblem(value: string): string | undefined {
  const o = splitOrigins(value).notAnOrigin;
  if (o === undefined) return undefined;
  return `'${o.slice(0, 200)}' is not an origin: write scheme, host and port only (https://maps.example.org or https://maps.example.org:8443), separated by commas`;
}

export const corsSettings: readonly SettingDef[] = [
  {
    key: 'cors.allowedOrigins',
    env: 'MERIDIAN_CORS_ALLOWED_ORIGINS',
    type: 'string',
    default: '',
    check: originsProblem,
    description:
      'GIS server role: browser apps at these origins (comma-separated, e.g. https://maps.example.org) may read the REST API (/arcgis/rest/…) besides the pages of the portal the server is federated with, which always may.',
  },
];

declare module '../../kernel/config/config.ts' {
  interface Config {
    cors: { allowedOrigins: string };
  }
}

/** Allows the federated portal's origin (read live: federating or unfederating needs no restart) and the configured ones. */
export function registerRestCors(
  app: FastifyInstance,
  deps: { status(): FederationStatus; allowedOrigins: string },
): void {
  const configured = new Set(splitOrigins(deps.allowedOrigins).origins);
  registerCors(
    app,
    {
      applies: (path) => path.startsWith('/arcgis/rest/'),
      allows: (origin) => {
        if (configured.has(origin)) return true;
        const portalUrl = deps.status().portalUrl;
        return portalUrl !== undefined && new URL(portalUrl).origin === origin;
      },
    },
    '/arcgis/rest',
  );
}
