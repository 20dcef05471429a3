// The peer of the http benchmark: a bare node:https server answering a fixed JSON body.
import { readFileSync } from 'node:fs';
import https from 'node:https';

const [certFile, keyFile, port] = process.argv.slice(2);
const body = JSON.stringify({ username: 'admin', fullName: 'Bench', role: 'org_admin', privileges: [] });
const server = https.createServer(
  { cert: readFileSync(certFile!), key: readFileSync(keyFile!), keepAliveTimeout: 65_000 },
  (_req, res) => {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  },
);
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
