import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { fileResponse, route } from '../../http/route.ts';
import type { PkiContext } from '../context.ts';
import { localCaCertPem } from '../local-ca-store.ts';
import { ImportTrustedAnswer, PkiSuccess, TrustEntryDetailsJson, TrustStoreJson } from '../schemas.ts';
import { trustStore } from '../store/store-api.ts';
import { getTrustEntry, listTrustStore, removeTrusted } from '../store/trust-store.ts';
import { importTrustedUpload } from './cert-handlers.ts';

const TAGS = ['portaladmin', 'trust store'];
const BASE = '/portaladmin/security/trustStore';
const aliasOf = (req: { params: unknown }) => (req.params as { alias: string }).alias;

/** The CA certificates the portal trusts when it calls other sites. Changes apply live on every node. */
export async function registerTrustRoutes(app: FastifyInstance, ctx: PkiContext): Promise<void> {
  route(app, {
    method: 'POST',
    url: '/portaladmin/security/sslCertificates/importRootOrIntermediate',
    summary:
      'Adds root or intermediate CA certificates (PEM, DER, PKCS#7 or a PEM bundle) to the trust store; notes say when a certificate only pins one server or was already trusted.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      alias: Type.String({
        description: 'Alias of the (first) certificate; a bundle adds alias-2, alias-3 …',
      }),
      certificate: Type.Optional(
        Type.String({ description: 'The certificate as PEM text (instead of file).' }),
      ),
      norestart: Type.Optional(
        Type.Boolean({ description: 'Accepted for compatibility: Meridian never restarts.' }),
      ),
    }),
    files: { file: 'The certificate file as a multipart file part.' },
    response: ImportTrustedAnswer,
    handler: async (req, a) => {
      const { aliases, notes } = await importTrustedUpload(trustStore(ctx), req, a.alias, a, {
        file: 'file',
        text: 'certificate',
      });
      // notes: a server certificate pins one server; a certificate already trusted keeps its alias.
      return { status: 'success', aliases, notes };
    },
  });

  route(app, {
    method: ['GET', 'POST'],
    url: BASE,
    summary: "Lists the trust store: the portal's own root CA and the imported certificates.",
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: TrustStoreJson,
    handler: async () => ({ certificates: await listTrustStore(ctx) }),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/export-ca`,
    summary: "The portal's own root CA certificate (PEM), for clients and partner portals to trust.",
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: fileResponse("The portal's root CA certificate (PEM).", ['application/x-pem-file']),
    handler: async (_req, _a, reply) =>
      reply
        .header('Content-Disposition', 'attachment; filename="meridian-root-ca.pem"')
        .header('X-Content-Type-Options', 'nosniff')
        .type('application/x-pem-file')
        .send(await localCaCertPem(ctx)),
  });

  route(app, {
    method: ['GET', 'POST'],
    url: `${BASE}/:alias`,
    summary: 'Details of one trusted certificate.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: TrustEntryDetailsJson,
    handler: (req) => getTrustEntry(ctx, aliasOf(req)),
  });

  route(app, {
    method: 'POST',
    url: `${BASE}/:alias/delete`,
    summary: 'Removes a certificate from the trust store.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: PkiSuccess,
    handler: async (req) => {
      await removeTrusted(ctx, aliasOf(req));
      return { status: 'success' };
    },
  });
}
