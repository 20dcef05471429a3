// The peer of the http benchmark: a bare node:https server answering a fixed JSON body. It
// listens on a free loopback port and sends that port to its parent.
import { readFileSync } from 'node:fs';
import https from 'node:https';

export const BARE_BODY = JSON.stringify({
  username: 'admin',
  fullName: 'Bench',
  role: 'org_admin',
  privileges: [],
});

if (import.meta.main) {
  const [certFile, keyFile] = process.argv.slice(2);
  const server = https.createServer(
    { cert: readFileSync(certFile!), key: readFileSync(keyFile!), keepAliveTimeout: 65_000 },
    (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(BARE_BODY),
      });
      res.end(BARE_BODY);
    },
  );
  server.once('error', (err) => {
    console.error(`bare https peer: ${err.message}`);
    process.exit(1);
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
}
