import { mkdirSync } from 'node:fs';
import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { sweepOrphanFiles } from './content/orphan-files.ts';
import { buildApp } from './http/app.ts';
import type { AppContext } from './http/context.ts';
import { removeStaleUploads } from './http/stale-uploads.ts';
import { ensureInitialAdmin, type InitialAdminResult } from './identity/initial-admin.ts';
import { ChangeBus } from './kernel/bus/bus.ts';
import { ConfigInsecure, listenError } from './kernel/config/errors.ts';
import { type Config, insecureSettings } from './kernel/config/load.ts';
import { type Db, openDatabase } from './kernel/db/database.ts';
import { migrateToLatest } from './kernel/db/migrate.ts';
import { MeridianError } from './kernel/errors/meridian-error.ts';
import { SecretBox } from './kernel/secrets/box.ts';
import { ensureLocalCa } from './pki/local-ca-store.ts';
import { createPortalOutbound } from './pki/store/portal-outbound.ts';
import { PortalSettingsStore } from './portal/settings.ts';
import { createHttpsPolicy } from './tls/https-policy.ts';
import { createHttpsServer, createPlainHttpServer } from './tls/listeners.ts';
import { WebTls } from './tls/web-tls.ts';

export interface RunningPortal {
  app: FastifyInstance;
  ctx: AppContext;
  /** https://localhost:PORT */
  url: string;
  httpsPort: number;
  httpPort: number | undefined;
  caCertPem: string;
  initialAdmin: InitialAdminResult;
  tls: WebTls;
  close(): Promise<void>;
}

/** The pieces that do not need a listener: data directory, database, secrets, bus. */
export async function openPortalCore(
  config: Config,
): Promise<Omit<AppContext, 'log' | 'baseUrl'> & { db: Db }> {
  mkdirSync(config.home, { recursive: true, mode: 0o700 });
  const box = SecretBox.openOrCreate(join(config.home, 'secrets.key'));
  const db = openDatabase({
    url: config.database.url || undefined,
    home: config.home,
    onPoolError: (err) => process.emitWarning(`database connection lost: ${err.message}`),
  });
  await migrateToLatest(db);
  const bus = new ChangeBus(db);
  const settings = new PortalSettingsStore({ db, bus });
  return { config, db, box, bus, settings, outbound: createPortalOutbound({ config, db, bus }) };
}

/**
 * Start-up housekeeping of the data directory: temporary uploads an earlier process left
 * behind are removed; stored files no item references are reported, and removed once older
 * than uploads.orphanGraceHours.
 */
async function cleanFileStores(core: { config: Config; db: Db }, log: FastifyBaseLogger): Promise<void> {
  const stale = await removeStaleUploads(core.config.home);
  if (stale)
    log.warn({ files: stale }, `removed ${stale} temporary upload file(s) left by an earlier process`);
  const grace = core.config.uploads.orphanGraceHours;
  const r = await sweepOrphanFiles(core.db.kysely, core.config.home, grace * 3_600_000);
  if (r.removed)
    log.warn(
      { removed: r.removed },
      `removed ${r.removed} stored file(s) under files/ that no item references (older than ${grace} h)`,
    );
  if (r.kept.length)
    log.warn(
      { files: r.kept },
      `${r.kept.length} stored file(s) under files/ are referenced by no item; they are removed at a start more than ${grace} h after they were written`,
    );
}

/** Starts a portal node: HTTPS on its own CA, plain HTTP redirect, every route. */
export async function startPortal(
  config: Config,
  opts: { logger?: boolean | object } = {},
): Promise<RunningPortal> {
  const insecure = insecureSettings(config);
  if (insecure.length && config.mode === 'production')
    throw new MeridianError(
      ConfigInsecure,
      `Refusing to start in production mode with insecure settings: ${insecure.join(', ')}.`,
    );
  const core = await openPortalCore(config);
  await core.bus.start();
  const ca = await ensureLocalCa(core);
  const initialAdmin = await ensureInitialAdmin(core);
  await core.settings.get();

  const tls = new WebTls(core);
  await tls.start();
  let app: FastifyInstance | undefined;
  let plain: http.Server | undefined;
  // Whatever fails from here on, what was opened is closed, so that the process can exit.
  const closeAll = async () => {
    tls.stop();
    plain?.closeAllConnections();
    await new Promise<void>((r) => (plain?.listening ? plain.close(() => r()) : r()));
    await app?.close();
    await core.bus.stop();
    await core.db.close();
  };
  try {
    return await listen();
  } catch (err) {
    await closeAll().catch(() => {});
    throw err;
  }

  async function listen(): Promise<RunningPortal> {
    let httpsPort = config.https.port;
    const baseUrl = () => `https://${config.hostname}${httpsPort === 443 ? '' : `:${httpsPort}`}`;
    let httpsServer: https.Server | undefined;
    let appHandler: http.RequestListener | undefined;
    const built = await buildApp(
      { ...core, baseUrl },
      {
        logger: opts.logger,
        httpsPolicy: createHttpsPolicy(tls, core.settings),
        serverFactory: (handler) => {
          appHandler = handler as http.RequestListener;
          httpsServer = createHttpsServer(tls, handler);
          return httpsServer;
        },
      },
    );
    app = built;
    for (const w of insecure)
      built.log.warn(`INSECURE SETTING ENABLED: ${w}. Never use this on a production portal.`);
    await cleanFileStores(core, built.log);
    tls.onSwap(() => built.log.info('web server certificate installed'));
    await built
      .listen({
        port: config.https.port,
        host: config.bind,
        // Fastify cannot tell that the server its factory made speaks TLS.
        listenTextResolver: (address) => `HTTPS listening at ${address.replace(/^http:/, 'https:')}`,
      })
      .catch((err) => {
        throw listenError(err, 'https.port', config.https.port, config.bind);
      });
    httpsPort = (httpsServer!.address() as AddressInfo).port;

    let httpPort: number | undefined;
    if (config.http.mode !== 'off') {
      const server = createPlainHttpServer(config, () => httpsPort, appHandler!);
      plain = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err) => reject(listenError(err, 'http.port', config.http.port, config.bind)));
        server.listen(config.http.port, config.bind, () => resolve());
      });
      httpPort = (server.address() as AddressInfo).port;
    }

    return {
      app: built,
      ctx: built.ctx,
      url: baseUrl(),
      httpsPort,
      httpPort,
      caCertPem: ca.certPem,
      initialAdmin,
      tls,
      close: closeAll,
    };
  }
}
