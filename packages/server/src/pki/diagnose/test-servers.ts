/** Real servers on 127.0.0.1 for the diagnosis and outbound tests. */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';

export interface RunningServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function running(server: Server, sockets: Set<Socket>): Promise<RunningServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        url: `https://127.0.0.1:${port}/`,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function track(server: Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** A TLS server presenting `cert` (a PEM chain, as sent) that closes after the handshake. */
export function startTlsServer(opts: TlsOptions): Promise<RunningServer> {
  const server = createTlsServer(opts, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  return running(server, track(server));
}

/** An HTTPS server answering with `handler`. */
export function startHttpsServer(
  opts: TlsOptions,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<RunningServer> {
  const server = createHttpsServer(opts, handler);
  server.on('tlsClientError', () => {});
  return running(server, track(server));
}

/** Accepts TCP connections and never says a word (for timeouts). */
export function startSilentServer(): Promise<RunningServer> {
  const server = createNetServer(() => {});
  return running(server, track(server));
}

/** A port on 127.0.0.1 where nothing listens (taken, then released). */
export async function closedPort(): Promise<number> {
  const s = await running(createNetServer(), new Set());
  await s.close();
  return s.port;
}
