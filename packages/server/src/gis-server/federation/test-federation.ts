/**
 * For the federation tests: a GIS server on loopback (test-gis-server.ts) with its administrator's token,
 * a portal-like HTTPS listener with its own CA (which checks every X-Meridian-Server credential
 * and answers access / registerService / unregisterService from a small item table), and
 * server tokens minted in the portal's format.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fetch } from 'undici';
import { startHttpsServer } from '../../pki/diagnose/test-servers.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { asIssuer, caHierarchy, leafOptions } from '../../pki/test-helpers.ts';
import type { RunningGisServer } from '../../roles/gis-server.ts';
import { startLoopbackGisServer } from '../test-gis-server.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read ArcGIS JSON answers of many shapes.
export type Json = any;

export interface TestServer {
  server: RunningGisServer;
  home: string;
  /** https://host:port/arcgis */
  root: string;
  adminToken: string;
  /** POSTs a form (no token unless given) and answers the JSON. */
  call(path: string, params?: Record<string, string>): Promise<Json>;
  close(opts?: { keepHome?: boolean }): Promise<void>;
}

export async function startTestServer(
  opts: { home?: string; databaseUrl?: string; sameServerAs?: string } = {},
): Promise<TestServer> {
  const started = await startLoopbackGisServer({
    ...(opts.home ? { home: opts.home } : {}),
    ...(opts.sameServerAs ? { sameServerAs: opts.sameServerAs } : {}),
    overrides: {
      'outbound.allowLoopback': true,
      ...(opts.databaseUrl ? { 'database.url': opts.databaseUrl } : {}),
    },
  });
  const { server, dispatcher } = started;
  const call = async (path: string, params: Record<string, string> = {}): Promise<Json> =>
    (
      await fetch(`${server.url}${path}`, {
        method: 'POST',
        body: new URLSearchParams({ f: 'json', ...params }),
        dispatcher,
      })
    ).json();
  return {
    server,
    home: started.home,
    root: `${server.url}/arcgis`,
    adminToken: started.adminToken,
    call,
    close: (o = {}) => started.close(o),
  };
}

export interface PortalItem {
  owner: string;
  public: boolean;
  readers: string[];
  url?: string;
}

export interface FakePortal {
  url: string;
  portalId: string;
  /** The id this portal gave the server. */
  serverId: string;
  secret: Buffer;
  caPem: string;
  items: Map<string, PortalItem>;
  /** Every call: op, form, and whether its credential verified. */
  calls: { op: string; form: Record<string, string>; credentialOk: boolean }[];
  /** portalProperties for security/config/update. */
  properties(extra?: Record<string, unknown>): string;
  /** A server token as the portal mints it (fields may be overridden). */
  token(p: Partial<Record<string, unknown>> & { aud: string }, key?: Buffer, kid?: string): string;
  /** Answer every call with this HTTP status (a portal behind a proxy that is down); undefined: normal. */
  failWith: number | undefined;
  /** Refuse every call as the portal refuses bad input (HTTP 200, code 400, this message); undefined: normal. */
  refuse: string | undefined;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Checks an X-Meridian-Server credential as the protocol says the portal does. */
function credentialOk(
  header: unknown,
  serverId: string,
  secret: Buffer,
  method: string,
  path: string,
): boolean {
  if (typeof header !== 'string') return false;
  const [id, iat, sig, extra] = header.split('.');
  if (id !== serverId || !iat || !sig || extra !== undefined) return false;
  if (Math.abs(Date.now() - Number(iat)) > 5 * 60_000) return false;
  const want = createHmac('sha256', secret).update(`${id}.${iat}.${method} ${path}`).digest();
  const given = Buffer.from(sig, 'base64url');
  return given.length === want.length && timingSafeEqual(given, want);
}

export async function startFakePortal(): Promise<FakePortal> {
  const { root, inter } = await caHierarchy('Fake Portal');
  const leaf = await generateCertificate(leafOptions({ issuer: asIssuer(inter) }));
  const portalId = `portal${randomBytes(4).toString('hex')}`;
  const serverId = `srv${randomBytes(5).toString('hex')}`;
  const secret = randomBytes(32);
  const items = new Map<string, PortalItem>();
  const calls: FakePortal['calls'] = [];
  let next = 1;
  const portal = {
    failWith: undefined as number | undefined,
    refuse: undefined as string | undefined,
  };
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'https://x').pathname;
    const form = Object.fromEntries(new URLSearchParams(await readBody(req)));
    const m = /^\/portaladmin\/federation\/servers\/([^/]+)\/(\w+)$/.exec(path);
    const op = m?.[2] ?? path;
    const ok =
      Boolean(m) &&
      m![1] === serverId &&
      credentialOk(req.headers['x-meridian-server'], serverId, secret, req.method ?? '', path);
    calls.push({ op, form, credentialOk: ok });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (portal.failWith) return send(portal.failWith, { error: 'down' });
    if (portal.refuse)
      return send(200, {
        status: 'error',
        code: 400,
        errorCode: 'servers.invalid_input',
        messages: [portal.refuse],
      });
    if (!ok)
      return send(200, { status: 'error', code: 401, messages: ['The server credential is not valid.'] });
    if (op === 'access') {
      const answer: Record<string, { canRead: boolean; owner: string }> = {};
      for (const id of (form.itemIds ?? '').split(',').filter(Boolean)) {
        const item = items.get(id);
        if (!item) continue;
        const user = form.username ?? '';
        answer[id] = {
          canRead: item.public || (user !== '' && (item.owner === user || item.readers.includes(user))),
          owner: item.owner,
        };
      }
      return send(200, { items: answer });
    }
    if (op === 'registerService') {
      const same = [...items].find(([, it]) => it.url === form.url);
      const itemId = same?.[0] ?? `item${next++}`;
      if (!same)
        items.set(itemId, { owner: form.owner ?? 'portaladmin', public: false, readers: [], url: form.url! });
      return send(200, { itemId });
    }
    if (op === 'unregisterService') {
      for (const [id, it] of items) if (it.url === form.url) items.delete(id);
      return send(200, { success: true });
    }
    return send(404, { status: 'error', messages: ['no such resource'] });
  };
  const running = await startHttpsServer(
    { key: leaf.keyPem, cert: `${leaf.certPem}${inter.certPem}` },
    (req, res) => void handler(req, res),
  );
  const url = `https://127.0.0.1:${running.port}`;
  return Object.assign(portal, {
    url,
    portalId,
    serverId,
    secret,
    caPem: root.certPem,
    items,
    calls,
    properties: (extra: Record<string, unknown> = {}) =>
      JSON.stringify({
        portalUrl: url,
        portalId,
        serverId,
        portalSecretKey: secret.toString('base64url'),
        portalCaChain: [root.certPem],
        ...extra,
      }),
    token(p: Partial<Record<string, unknown>> & { aud: string }, key = secret, kid = `fs${serverId}`) {
      const now = Date.now();
      const payload = {
        uid: 'u-portal-1',
        sub: 'alice',
        ep: 0,
        iat: now,
        exp: now + 60 * 60_000,
        kind: 'server',
        bind: { type: 'none' },
        role: 'user',
        orgId: portalId,
        ...p,
      };
      const head = `v1.${kid}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
      return `${head}.${createHmac('sha256', key).update(head).digest('base64url')}`;
    },
    close: () => running.close(),
  });
}
