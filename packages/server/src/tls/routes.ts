import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { StatusSuccess } from '../http/schemas.ts';
import type { TlsContext } from './context.ts';
import { applyTlsUpdate } from './tls-update.ts';

const BASE = '/portaladmin/security/sslCertificates';
const TAGS = ['portaladmin', 'certificates'];
const str = (description: string) => Type.Optional(Type.String({ description }));
const bool = (description: string) => Type.Optional(Type.Boolean({ description }));
const SUCCESS = { status: 'success' } as const;

/** portaladmin/security/sslCertificates/update: what the listeners serve, and how. */
export function registerTlsRoutes(app: FastifyInstance, ctx: TlsContext): void {
  route(app, {
    method: 'POST',
    url: `${BASE}/update`,
    summary:
      'Changes the web server certificate, SNI certificates, protocols, ciphers, HSTS: live on every node. A certificate that cannot serve the host name is refused (see force).',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      webServerCertificateAlias: str('Alias of the certificate served by default.'),
      sslProtocols: str('Comma list of TLSv1.2, TLSv1.3.'),
      cipherSuites: str('Comma list of cipher suites (OpenSSL and TLS 1.3 names).'),
      HSTSEnabled: bool('Send Strict-Transport-Security.'),
      sniCertificates: Type.Optional(
        Type.Unsafe<string | Record<string, string>>({
          type: ['string', 'object'],
          description: 'JSON object host name → alias.',
        }),
      ),
      httpsRequiredPaths: str('Comma list of paths answered "SSL Required" over plain HTTP.'),
      force: bool(
        'Serve a certificate that does not cover the host name, is expired or not yet valid, or lacks TLS server key usage (refused with pki.unsuitable_server_certificate otherwise). The answer lists what was overridden in warnings.',
      ),
    }),
    response: StatusSuccess({
      warnings: Type.Optional(
        Type.Array(Type.String(), { description: 'What force overrode, when it overrode something.' }),
      ),
    }),
    handler: async (_req, a) => {
      const r = await applyTlsUpdate(ctx, a);
      return r.warnings.length ? { ...SUCCESS, warnings: r.warnings } : SUCCESS;
    },
  });
}
