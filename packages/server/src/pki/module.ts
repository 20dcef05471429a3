import type { Kysely } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { defineModule } from '../kernel/module.ts';
import { bind } from './bind.ts';
import { pkiCommands } from './commands/pki-commands.ts';
import type { PkiContext } from './context.ts';
import {
  DEFAULT_WEB_ALIAS,
  ensureLocalCa,
  firstFromLocalCa,
  issueFromLocalCa,
  loadCertificate,
  localCaCertPem,
  type WebCertificate,
  webServerNames,
} from './local-ca-store.ts';
import * as pkiMigration from './migration.ts';
import * as trustMigration from './migration-trust.ts';
import {
  ExportedFile,
  ExportParams,
  importExistingUpload,
  importSignedUpload,
  importTrustedUpload,
  sendExport,
} from './routes/cert-handlers.ts';
import { registerPkiRoutes } from './routes/register.ts';
import { CertificateJson } from './schemas.ts';
import { pkiSettings } from './settings.ts';
import type { GenerateInput } from './store/cert-store.ts';
import { healthReport, startExpiryMonitor } from './store/expiry.ts';
import { createPortalOutbound, type PortalOutbound } from './store/portal-outbound.ts';
import { checkServerAssignments, newAssignments, type ServerAssignment } from './store/server-suitability.ts';
import { certificateStore, trustStore } from './store/store-api.ts';
import { normaliseFingerprint } from './store/trust-presented.ts';
import type { CertificateAssignments, CertificateUsage, ListenerSettings } from './usage.ts';

export type {
  CertificateAssignments,
  CertificateUsage,
  GenerateInput,
  ListenerSettings,
  PortalOutbound,
  ServerAssignment,
  WebCertificate,
};
/**
 * For other modules' administrator routes (the GIS server's sslcertificates): the answer schema
 * of one stored certificate, and the handlers the portal's certificate routes use
 * (routes/cert-handlers.ts): an upload imported, a certificate exported.
 */
/** A SHA-256 fingerprint as compared (any case, colons optional, "sha256 Fingerprint=" prefix dropped). */
export {
  CertificateJson,
  DEFAULT_WEB_ALIAS,
  ExportedFile,
  ExportParams,
  importExistingUpload,
  importSignedUpload,
  importTrustedUpload,
  normaliseFingerprint,
  sendExport,
};

/**
 * Keys and certificates: the portal's own CA, the certificate store, the trust store, the
 * diagnosis of other sites' certificates and the guarded outbound client that uses them.
 */
export function createPkiApi(ctx: PkiContext) {
  return {
    /** Every outbound HTTPS call of every module goes through this client and its trust store. */
    outbound: ctx.outbound,
    localCaPem: () => localCaCertPem(ctx),
    /** A stored certificate with its key, for a listener. */
    loadCertificate: bind(ctx, loadCertificate),
    /** Issues (or re-issues) a certificate from the portal CA under `alias`. */
    issueFromLocalCa: (alias: string, names: string[]) => issueFromLocalCa(ctx, alias, names),
    /** The certificate under `alias`, issued from the portal CA only if none is stored (every node gets the same). */
    firstFromLocalCa: bind(ctx, firstFromLocalCa),
    /** The names the default web server certificate covers. */
    webServerNames: () => webServerNames(ctx),
    async hasKey(alias: string, db: Kysely<Database> = ctx.db.kysely): Promise<boolean> {
      const row = await db
        .selectFrom('pki_certificates')
        .select('key_sealed')
        .where('alias', '=', alias)
        .executeTakeFirst();
      return Boolean(row?.key_sealed);
    },
    /** Refuses (or, with force, reports) certificates that cannot serve the names assigned to them. */
    checkServerAssignments: bind(ctx, checkServerAssignments),
    /** The assignments a settings change makes: only new or changed ones are judged. */
    newAssignments,
    certificates: certificateStore(ctx),
    trust: trustStore(ctx),
    health: () => healthReport(ctx),
  };
}

export type PkiApi = ReturnType<typeof createPkiApi>;

export interface PkiDeps {
  usage: CertificateUsage;
  /** The role's name for its CA ('Portal', 'GIS Server'), written into a new local CA's name. */
  caRole?: string;
}

export const pkiModule = defineModule<PkiApi, PkiDeps>({
  name: 'pki',
  tables: ['pki_local_ca', 'pki_certificates', 'pki_trust_store'],
  migrations: { '0002_pki': pkiMigration, '0008_trust_store': trustMigration },
  settings: pkiSettings,
  commands: pkiCommands,
  async create(kernel, deps) {
    const ctx: PkiContext = {
      ...kernel,
      usage: deps.usage,
      caRole: deps.caRole,
      outbound: createPortalOutbound(kernel),
    };
    await ensureLocalCa(ctx);
    let stopMonitor: (() => void) | undefined;
    return {
      api: createPkiApi(ctx),
      routes: (app) => registerPkiRoutes(app, ctx),
      start() {
        stopMonitor = startExpiryMonitor(ctx);
      },
      stop() {
        stopMonitor?.();
        ctx.outbound.close();
      },
    };
  },
});
