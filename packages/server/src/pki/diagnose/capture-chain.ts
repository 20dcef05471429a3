import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate } from 'node:tls';

export interface CapturedHandshake {
  /** Certificates as the server sent them, leaf first. */
  chain: X509Certificate[];
  protocol: string | null;
  cipher: string | undefined;
}

/**
 * Opens a TLS connection only to read the chain the server presents, then closes it.
 * Verification is off here (rejectUnauthorized:false) because the point is to see a chain
 * that would be refused; nothing is ever sent or received on this connection. The empty
 * CA list keeps Node from adding certificates of its own to the captured chain.
 */
export function captureChain(opts: {
  host: string;
  address: string;
  port: number;
  timeoutMs: number;
}): Promise<CapturedHandshake> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: opts.address,
      port: opts.port,
      servername: isIP(opts.host) ? undefined : opts.host,
      rejectUnauthorized: false,
      ca: [],
      minVersion: 'TLSv1.2',
    });
    const timer = setTimeout(() => {
      socket.destroy(
        Object.assign(new Error(`no TLS answer within ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' }),
      );
    }, opts.timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const chain = peerChain(socket.getPeerCertificate(true));
      const cipher = socket.getCipher()?.name;
      const protocol = socket.getProtocol();
      socket.destroy();
      resolve({ chain, protocol, cipher });
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    });
  });
}

function peerChain(leaf: DetailedPeerCertificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  let cur: DetailedPeerCertificate | undefined = leaf;
  while (cur?.raw && !seen.has(cur.fingerprint256)) {
    seen.add(cur.fingerprint256);
    out.push(new X509Certificate(cur.raw));
    cur = cur.issuerCertificate;
  }
  return out;
}
