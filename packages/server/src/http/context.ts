import type { FastifyBaseLogger } from 'fastify';
import type { ChangeBus } from '../kernel/bus/bus.ts';
import type { Config } from '../kernel/config/load.ts';
import type { Db } from '../kernel/db/database.ts';
import type { SecretBox } from '../kernel/secrets/box.ts';
import type { PortalSettingsStore } from '../portal/settings.ts';

/** The signed-in caller of a request. */
export interface Caller {
  userId: string;
  username: string;
  role: 'org_admin' | 'org_publisher' | 'org_user';
  privileges: readonly string[];
  /** How the caller proved who they are. Cookie callers need the CSRF header on state changes. */
  via: 'token' | 'cookie';
  /** For cookie callers: their web session (signing out ends it alone). */
  sessionId?: string;
}

/** What every route and domain service may use; assembled once in http/app.ts. */
export interface AppContext {
  config: Config;
  db: Db;
  bus: ChangeBus;
  box: SecretBox;
  settings: PortalSettingsStore;
  /** Every outbound HTTPS call (partner portals, GIS servers, metadata) and its trust store. */
  outbound: import('../pki/store/portal-outbound.ts').PortalOutbound;
  log: FastifyBaseLogger;
  /** The portal's own URL as clients see it, e.g. https://localhost:7443 (no trailing slash). */
  baseUrl(): string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Query and body parameters merged (body wins); never a file (see uploads). */
    args: Record<string, unknown>;
    /** The multipart file parts of the request, written to <home>/tmp (http/multipart.ts). */
    uploads: ReadonlyMap<string, import('./uploaded-file.ts').UploadedFile> | undefined;
    caller: Caller | undefined;
  }
}
