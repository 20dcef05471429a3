/**
 * For the tests of the kernel's admin routes: a second HTTPS application on a running test
 * portal's kernel, with the portal's own token authentication, serving only the routes given.
 * (The portal role wires these routes itself; this keeps the tests independent of that.)
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Agent, fetch } from 'undici';
import type { TestPortal } from '../../../test/portal.ts';
import { buildApp } from '../../http/app.ts';
import { generateCertificate } from '../../pki/generate-certificate.ts';
import { createRootCa } from '../../pki/local-ca.ts';
import { leafOptions } from '../../pki/test-helpers.ts';

export interface AdminApp {
  /** GET (or POST) with form fields and the admin's token; the parsed JSON answer. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary portaladmin JSON answers.
  call(path: string, fields?: Record<string, string | number>, method?: 'GET' | 'POST'): Promise<any>;
  close(): Promise<void>;
}

export async function serveAdminRoutes(
  portal: TestPortal,
  register: (app: FastifyInstance) => void | Promise<void>,
): Promise<AdminApp> {
  const ca = await createRootCa('Admin Routes Test CA');
  const leaf = await generateCertificate(leafOptions({ issuer: ca }));
  const app = await buildApp(portal.kernel, {
    authenticate: portal.modules.tokens.authenticate,
    presentsCredential: portal.modules.tokens.presentsCredential,
    routes: [register],
    serverFactory: (handler) => createServer({ key: leaf.keyPem, cert: leaf.certPem }, handler),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const dispatcher = new Agent({ connect: { ca: ca.certPem } });
  const token = await portal.token();
  return {
    async call(path, fields = {}, method = 'GET') {
      const params = new URLSearchParams({ f: 'json', token });
      for (const [k, v] of Object.entries(fields)) params.set(k, String(v));
      const url = `https://127.0.0.1:${port}${path}`;
      const res =
        method === 'GET'
          ? await fetch(`${url}?${params}`, { dispatcher })
          : await fetch(url, {
              method: 'POST',
              dispatcher,
              body: params.toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            });
      return res.json();
    },
    async close() {
      await app.close();
      await dispatcher.close();
    },
  };
}
