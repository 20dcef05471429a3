import http from 'node:http';
import https from 'node:https';
import type { Config } from '../kernel/config/load.ts';
import { DEFAULT_CIPHERS, DEFAULT_MIN_VERSION } from './policy.ts';
import type { WebTls } from './web-tls.ts';

/** An HTTPS server whose certificate comes from WebTls and is replaced live. */
export function createHttpsServer(tls: WebTls, handler: http.RequestListener): https.Server {
  const server = https.createServer(
    {
      SNICallback: (servername, cb) => cb(null, tls.contextFor(servername)),
      minVersion: DEFAULT_MIN_VERSION,
      ciphers: DEFAULT_CIPHERS,
      honorCipherOrder: true,
      keepAliveTimeout: 65_000,
    },
    handler,
  );
  // Clients that send no SNI (IP addresses) get the server's default context: keep it current,
  // sealing and opening tickets with the node's ticket keys like every other context.
  const apply = () => {
    server.setSecureContext(tls.contextOptions);
    tls.tickets.attachToServer(server);
  };
  apply();
  tls.onSwap(apply);
  return server;
}

/**
 * Plain HTTP: a redirect to HTTPS (on the configured host name), an "SSL Required" refusal, or (http.mode serve) the portal
 * itself, whose HTTPS policy then refuses what must not travel in clear.
 */
export function createPlainHttpServer(
  config: Config,
  httpsPort: () => number,
  app: http.RequestListener,
): http.Server {
  if (config.http.mode === 'serve') return http.createServer(app);
  return http.createServer((req, res) => {
    if (config.http.mode === 'refuse') {
      res.writeHead(403, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { code: 403, message: 'SSL Required', details: [] } }));
      return;
    }
    // The configured host name, never the request's Host header: a forged Host must not turn
    // the portal into an open redirect (or a cache-poisoned one).
    const host = config.hostname;
    const port = httpsPort();
    const origin = config.publicUrl
      ? new URL(config.publicUrl).origin
      : `https://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}${port === 443 ? '' : `:${port}`}`;
    const target = `${origin}${req.url ?? '/'}`;
    res.writeHead(301, { location: target, connection: 'close' });
    res.end();
  });
}
