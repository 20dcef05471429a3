/**
 * A small HTTPS tile server for browser tests of the basemap: one generated PNG tile of a single
 * colour for any /tiles/{z}/{x}/{y}.png, with a certificate from its own CA made here (trusted
 * by whoever the test gives `caPem` to, by nothing else), CORS open to any origin (maps read
 * tiles as CORS images), and a record of the requests it served.
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createRootCa, issueServerCertificate } from '../packages/server/src/pki/local-ca.ts';
import { solidPng } from './solid-png.ts';

export interface TileRequest {
  z: number;
  x: number;
  y: number;
  /** The Origin header the browser sent (CORS image requests carry one). */
  origin: string | undefined;
}

export interface TileServer {
  /** https://127.0.0.1:PORT */
  origin: string;
  /** The PEM of the CA that issued the server's certificate. */
  caPem: string;
  /** The tiles served so far. */
  requests: TileRequest[];
  close(): Promise<void>;
}

const TILE = /^\/tiles\/(\d{1,2})\/(\d+)\/(\d+)\.png$/;

/** Starts the server on 127.0.0.1 (a free port); every tile is `colour`. */
export async function startTileServer(colour: [number, number, number]): Promise<TileServer> {
  const ca = await createRootCa('Meridian test tile server CA');
  const tls = await issueServerCertificate(ca, ['127.0.0.1', 'localhost'], 1);
  const png = solidPng(256, 256, colour);
  const requests: TileRequest[] = [];
  const server = createServer({ key: tls.keyPem, cert: tls.certPem }, (req, res) => {
    const m = TILE.exec(new URL(req.url ?? '/', 'https://tiles').pathname);
    if (!m || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('No such tile.');
      return;
    }
    requests.push({ z: Number(m[1]), x: Number(m[2]), y: Number(m[3]), origin: req.headers.origin });
    res
      .writeHead(200, {
        'content-type': 'image/png',
        'content-length': png.length,
        'access-control-allow-origin': '*',
        'cache-control': 'no-store',
      })
      .end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    caPem: ca.certPem,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
