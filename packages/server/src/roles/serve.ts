import type http from 'node:http';
import type https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from '../http/app.ts';
import { removeStaleUploads } from '../http/stale-uploads.ts';
import { listenError } from '../kernel/config/errors.ts';
import type { OpenedKernel } from '../kernel/kernel.ts';
import { createHttpsServer, createPlainHttpServer } from '../tls/listeners.ts';
import type { TlsApi } from '../tls/module.ts';

export interface Serving {
  app: FastifyInstance;
  httpsPort: number;
  httpPort: number | undefined;
  /** The port of the metrics listener (metrics.listen), when metrics are on. */
  metricsPort: number | undefined;
  /** Closes the listeners (and their connections). */
  close(): Promise<void>;
}

/**
 * Builds a node's HTTP application and opens its listeners: HTTPS with the tls module's live
 * certificates, and plain HTTP as http.mode says. A port that cannot be opened is one error
 * naming it; whatever was opened is closed again.
 */
export async function serve(
  kernel: OpenedKernel,
  tls: TlsApi,
  opts: Omit<AppOptions, 'serverFactory' | 'httpsPolicy'>,
): Promise<Serving> {
  const { config } = kernel;
  const stale = await removeStaleUploads(config.home);
  if (stale)
    kernel.log.warn({ files: stale }, `removed ${stale} temporary upload file(s) left by an earlier process`);
  let httpsServer: https.Server | undefined;
  let handler: http.RequestListener | undefined;
  const app = await buildApp(kernel, {
    ...opts,
    httpsPolicy: tls.httpsPolicy,
    serverFactory: (h) => {
      handler = h as http.RequestListener;
      httpsServer = createHttpsServer(tls.web, h);
      return httpsServer;
    },
  });
  tls.web.onSwap(() => kernel.log.info('web server certificate installed'));
  let plain: http.Server | undefined;
  const close = async () => {
    await kernel.metrics?.close();
    plain?.closeAllConnections();
    await new Promise<void>((r) => (plain?.listening ? plain.close(() => r()) : r()));
    await app.close();
  };
  try {
    await app
      .listen({
        port: config.https.port,
        host: config.bind,
        // Fastify cannot tell that the server its factory made speaks TLS.
        listenTextResolver: (address) => `HTTPS listening at ${address.replace(/^http:/, 'https:')}`,
      })
      .catch((err) => {
        throw listenError(err, 'https.port', config.https.port, config.bind);
      });
    const httpsPort = (httpsServer!.address() as AddressInfo).port;
    kernel.setListenPort(httpsPort);
    let httpPort: number | undefined;
    if (config.http.mode !== 'off') {
      const server = createPlainHttpServer(config, () => httpsPort, handler!);
      plain = server;
      await new Promise<void>((resolve, reject) => {
        server.once('error', (err) => reject(listenError(err, 'http.port', config.http.port, config.bind)));
        server.listen(config.http.port, config.bind, () => resolve());
      });
      httpPort = (server.address() as AddressInfo).port;
    }
    await kernel.metrics?.listen(kernel.log);
    return { app, httpsPort, httpPort, metricsPort: kernel.metrics?.port, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}
