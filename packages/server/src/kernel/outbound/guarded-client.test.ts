import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type RunningServer, startHttpsServer, startSilentServer } from '../../pki/diagnose/test-servers.ts';
import { type GeneratedCertificate, generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa, type KeyAndCert } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import { classifyAddress } from './address-policy.ts';
import type { CertificateFailure } from './connection-failure.ts';
import { OutboundAddressDenied } from './errors.ts';
import { createOutboundClient, type OutboundClientOptions } from './guarded-client.ts';

const rejectsWith = async (p: Promise<unknown>, code: string, message?: RegExp) =>
  assert.rejects(p, (err: MeridianError) => {
    assert.equal(err.code, code, err.message);
    if (message) assert.match(err.message, message);
    return true;
  });

describe('guarded outbound client (real HTTPS servers on 127.0.0.1)', () => {
  let ca: KeyAndCert;
  let leaf: GeneratedCertificate;
  let server: RunningServer;
  let big: RunningServer;
  let stall: RunningServer;
  let silent: RunningServer;
  let hang: RunningServer;
  const client = (extra: Partial<OutboundClientOptions> = {}) =>
    createOutboundClient({
      trustAnchors: () => [ca.certPem],
      includePublicRoots: false,
      allowLoopback: true,
      allowPrivate: false,
      ...extra,
    });
  before(async () => {
    ca = await createRootCa('Outbound Test CA');
    leaf = await generateCertificate(leafOptions({ issuer: ca }));
    const tlsOpts = { key: leaf.keyPem, cert: leaf.certPem + ca.certPem };
    server = await startHttpsServer(tlsOpts, (req, res) => {
      if (req.url === '/redirect-http') {
        res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
        return;
      }
      if (req.url === '/redirect') {
        res.writeHead(301, { location: '/info' }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    });
    big = await startHttpsServer(tlsOpts, (req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 'a');
      if (req.url === '/declared') res.writeHead(200, { 'content-length': String(chunk.length * 32) });
      else res.writeHead(200);
      for (let i = 0; i < 32; i++) res.write(chunk);
      res.end();
    });
    stall = await startHttpsServer(tlsOpts, (_req, res) => {
      res.writeHead(200);
      res.write('partial');
    });
    silent = await startSilentServer();
    hang = await startHttpsServer(tlsOpts, (req) => {
      req.resume(); // reads the request, never answers
    });
  });
  after(async () => {
    for (const s of [server, big, stall, silent, hang]) await s.close();
  });

  test('fetches over HTTPS with the trust store and follows a same-origin redirect', async () => {
    const res = await client().request(`${server.url}redirect`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { path: '/info' });
    assert.equal(res.address, '127.0.0.1');
    assert.equal(res.url, `${server.url}info`);
  });

  test('loopback is refused unless allowed, by IP and by name', async () => {
    const strict = client({ allowLoopback: false });
    await rejectsWith(strict.request(server.url), 'outbound.address_denied', /loopback/);
    await rejectsWith(
      strict.request(`https://localhost:${server.port}/`),
      'outbound.address_denied',
      /localhost resolves to 127\.0\.0\.1/,
    );
    assert.equal(classifyAddress('169.254.169.254'), 'link_local');
    assert.equal(classifyAddress('::ffff:10.1.2.3'), 'private');
    assert.equal(classifyAddress('8.8.8.8'), 'public');
  });

  test('the trust store is read per request: the second call succeeds after the CA is added, no restart', async () => {
    const store: string[] = [];
    const c = client({ trustAnchors: () => store });
    await rejectsWith(c.request(server.url), 'outbound.certificate_rejected', /meridian doctor/);
    store.push(ca.certPem);
    const res = await c.request(server.url);
    assert.equal(res.status, 200);
  });

  test('a refused certificate is explained by the injected explainer, with what the client knew', async () => {
    const seen: CertificateFailure[] = [];
    const c = client({
      trustAnchors: () => [],
      explainCertificateFailure: async (failure) => {
        seen.push(failure);
        return new MeridianError(
          OutboundAddressDenied, // any catalogue error: the client passes the explainer's on as it is
          `explained ${failure.url} at ${failure.address}`,
        );
      },
    });
    await rejectsWith(
      c.request(`${server.url}x?y=1`),
      'outbound.address_denied',
      /^explained https:\/\/127\.0\.0\.1:\d+\/x\?y=1 at 127\.0\.0\.1$/,
    );
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.address, '127.0.0.1');
    assert.deepEqual(seen[0]!.trustAnchors, []);
    assert.equal(seen[0]!.includePublicRoots, false);
    assert.equal((seen[0]!.error as { code?: string }).code, 'SELF_SIGNED_CERT_IN_CHAIN');
    assert.ok(seen[0]!.timeoutMs >= 1000);
    // An explainer with nothing better to say leaves Node's reason.
    const silent = client({ trustAnchors: () => [], explainCertificateFailure: async () => undefined });
    await rejectsWith(
      silent.request(server.url),
      'outbound.certificate_rejected',
      /self-signed certificate in certificate chain/,
    );
  });

  test('host name checks are on', async () => {
    const other = await generateCertificate(
      leafOptions({ cn: 'elsewhere.test', san: ['elsewhere.test'], issuer: ca }),
    );
    const s = await startHttpsServer({ key: other.keyPem, cert: other.certPem }, (_q, r) => r.end('x'));
    try {
      await rejectsWith(client().request(s.url), 'outbound.certificate_rejected', /altnames/);
    } finally {
      await s.close();
    }
  });

  test('its refusals name no role: the GIS server uses this client too (the code stays stable)', async () => {
    const strict = client({ allowLoopback: false });
    const roleNeutral = async (p: Promise<unknown>, code: string) =>
      assert.rejects(p, (err: MeridianError) => {
        assert.equal(err.code, code, err.message);
        assert.doesNotMatch(err.message, /portal/i);
        return true;
      });
    await roleNeutral(strict.request(server.url), 'outbound.address_denied');
    await roleNeutral(client().request('https://169.254.169.254/'), 'outbound.address_denied');
    await roleNeutral(client().request(`http://127.0.0.1:${server.port}/`), 'outbound.invalid_url');
    await roleNeutral(client().request('ftp://127.0.0.1/'), 'outbound.invalid_url');
  });

  test('https only unless http is explicitly allowed; a redirect to http:// is refused too', async () => {
    await rejectsWith(
      client().request(`http://127.0.0.1:${server.port}/`),
      'outbound.invalid_url',
      /only https/,
    );
    await rejectsWith(client().request('file:///etc/passwd'), 'outbound.invalid_url');
    await rejectsWith(client().request(`${server.url}redirect-http`), 'outbound.invalid_url');
  });

  test('response size limit, declared and streamed', async () => {
    await rejectsWith(
      client({ maxBytes: 1024 * 1024 }).request(`${big.url}declared`),
      'outbound.response_too_large',
    );
    await rejectsWith(
      client({ maxBytes: 1024 * 1024 }).request(`${big.url}chunked`),
      'outbound.response_too_large',
    );
    const ok = await client({ maxBytes: 4 * 1024 * 1024 }).request(`${big.url}chunked`);
    assert.equal(ok.body.length, 32 * 64 * 1024);
  });

  test('connect timeout (no handshake) and total timeout (body never ends)', async () => {
    const t0 = Date.now();
    await rejectsWith(client({ connectTimeoutMs: 300 }).request(silent.url), 'net.timeout');
    await rejectsWith(client({ timeoutMs: 500 }).request(stall.url), 'net.timeout');
    assert.ok(Date.now() - t0 < 5000);
  });

  test('a signal aborts a request waiting for its answer, reading its body, or not yet sent: it fails with the reason', async () => {
    const reason = new Error('the node is stopping');
    const abortAfter = (ms: number) => {
      const c = new AbortController();
      setTimeout(() => c.abort(reason), ms).unref();
      return c.signal;
    };
    const isReason = (err: unknown) => err === reason;
    for (const target of [hang, stall]) {
      const t0 = Date.now();
      await assert.rejects(
        client().request(target.url, { method: 'POST', body: 'x=1', signal: abortAfter(200) }),
        isReason,
      );
      assert.ok(Date.now() - t0 < 2000, `aborted after ${Date.now() - t0} ms`);
    }
    const stream = await client().stream(stall.url, { signal: abortAfter(200) });
    await assert.rejects(
      (async () => {
        for await (const _ of stream.body);
      })(),
      isReason,
    );
    await assert.rejects(client().request(server.url, { signal: AbortSignal.abort(reason) }), isReason);
    const ok = await client().request(server.url, { signal: new AbortController().signal });
    assert.equal(ok.status, 200, 'a signal that does not abort changes nothing');
  });
});
