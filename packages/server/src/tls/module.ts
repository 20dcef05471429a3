import { defineModule } from '../kernel/module.ts';
import type { ListenerSettings, PkiApi } from '../pki/module.ts';
import { certUse } from './commands/cert-use.ts';
import type { TlsContext } from './context.ts';
import { registerHealthRoutes } from './health-routes.ts';
import { createHttpsPolicy, type HttpsPolicy } from './https-policy.ts';
import { registerCertificateMetrics } from './metrics.ts';
import * as ticketKeysMigration from './migration.ts';
import * as settingsMigration from './migration-settings.ts';
import { registerTlsRoutes } from './routes.ts';
import { tlsSettings } from './settings.ts';
import { readTlsSettings, type TlsSettings } from './tls-settings.ts';
import { applyTlsUpdate, type TlsUpdateArgs } from './tls-update.ts';
import { WebTls } from './web-tls.ts';

export type { HttpsPolicy, TlsSettings, TlsUpdateArgs, WebTls };

/** HTTPS: what the listeners serve (certificates, protocols, ciphers, HSTS), changed live. */
export interface TlsApi {
  /** The live certificates and TLS options of this node's listeners. */
  readonly web: WebTls;
  /** HSTS and "SSL Required" for requests over plain HTTP. */
  readonly httpsPolicy: HttpsPolicy;
  settings(): Promise<TlsSettings>;
  /** sslCertificates/update: validates, refuses unsuitable certificates unless forced, applies on every node. */
  update(args: TlsUpdateArgs): Promise<{ settings: TlsSettings; warnings: string[] }>;
  /** Which certificates are served (pki's CertificateUsage port). */
  assignments: (db?: Parameters<typeof readTlsSettings>[0]) => Promise<ListenerSettings>;
}

export const tlsModule = defineModule<
  TlsApi,
  { pki: PkiApi; requireHttpsEverywhere: () => Promise<boolean> }
>({
  name: 'tls',
  tables: ['tls_ticket_keys', 'tls_settings'],
  migrations: { '0007_tls': ticketKeysMigration, '0013_tls_settings': settingsMigration },
  settings: tlsSettings,
  commands: [certUse],
  async create(kernel, deps) {
    const ctx: TlsContext = { ...kernel, pki: deps.pki, requireHttpsEverywhere: deps.requireHttpsEverywhere };
    const web = new WebTls(ctx);
    // The certificates are loaded (the default one issued on a first start) before anything
    // listens; renewal and reloads on other nodes' changes start with the node.
    await web.reload();
    if (kernel.metrics) registerCertificateMetrics(kernel.metrics, web, deps.pki);
    return {
      api: {
        web,
        httpsPolicy: createHttpsPolicy(web, deps.requireHttpsEverywhere),
        settings: () => readTlsSettings(kernel.db.kysely),
        update: (args) => applyTlsUpdate(ctx, args),
        assignments: (db = kernel.db.kysely) => readTlsSettings(db),
      },
      routes: (app) => {
        registerTlsRoutes(app, ctx);
        registerHealthRoutes(app, kernel, web);
      },
      start: () => web.start(),
      stop: () => web.stop(),
    };
  },
});
