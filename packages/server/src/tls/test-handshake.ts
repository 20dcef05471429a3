import tls from 'node:tls';

export interface Handshake {
  /** The served leaf's serial ('' when the session was resumed: a resumed session carries none). */
  serial: string;
  reused: boolean;
  /** The session to resume next time: the last ticket the server sent, or the session itself. */
  session: Buffer | undefined;
}

/** For the tls module's tests: one TLS handshake with a node on loopback, trusting `ca` only. */
export function handshake(
  port: number,
  ca: string,
  opts: { session?: Buffer | undefined; version?: '1.2' | '1.3'; sni?: boolean } = {},
): Promise<Handshake> {
  const version = opts.version === '1.3' ? 'TLSv1.3' : 'TLSv1.2';
  return new Promise((resolve, reject) => {
    let ticket: Buffer | undefined;
    const s = tls.connect(
      {
        host: '127.0.0.1',
        port,
        ...(opts.sni === false ? {} : { servername: 'localhost' }),
        ca,
        session: opts.session,
        minVersion: version,
        maxVersion: version,
      },
      () => {
        const serial = s.getPeerX509Certificate()?.serialNumber ?? '';
        const reused = s.isSessionReused();
        // TLS 1.3 tickets (and renewed TLS 1.2 ones) arrive just after the handshake.
        setTimeout(() => {
          resolve({ serial, reused, session: ticket ?? s.getSession() });
          s.end();
        }, 30);
      },
    );
    s.on('session', (sess) => {
      ticket = sess;
    });
    s.on('error', reject);
  });
}
