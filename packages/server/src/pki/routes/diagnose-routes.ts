import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { PkiContext } from '../context.ts';
import { DiagnosisJson, TrustDiagnosedAnswer } from '../schemas.ts';
import { trustPresentedCertificate } from '../store/trust-presented.ts';

const TAGS = ['portaladmin', 'diagnosis'];

/** Why the portal can or cannot trust an HTTPS site, with the fix; and "trust this" after confirmation. */
export async function registerDiagnoseRoutes(app: FastifyInstance, ctx: PkiContext): Promise<void> {
  route(app, {
    method: ['GET', 'POST'],
    url: '/portaladmin/security/diagnose',
    summary:
      'Connects to https://host[:port][/path] with the trust store and explains the result (a failure found is still a successful answer, ok:false).',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({ url: Type.String({ description: 'https://host[:port][/path]' }) }),
    response: DiagnosisJson,
    handler: (_req, a) => ctx.outbound.diagnose(a.url),
  });

  route(app, {
    method: 'POST',
    url: '/portaladmin/security/diagnose/trust',
    summary:
      'Imports the certificate the diagnosis suggests into the trust store, only if its SHA-256 fingerprint is the one confirmed.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    params: Type.Object({
      url: Type.String({ description: 'https://host[:port][/path]' }),
      sha256Fingerprint: Type.String({ description: 'The fingerprint the administrator confirmed.' }),
      alias: Type.Optional(
        Type.String({ description: 'Alias in the trust store (default: from the subject).' }),
      ),
    }),
    response: TrustDiagnosedAnswer,
    handler: async (_req, a) => {
      const r = await trustPresentedCertificate(ctx, a.url, a.sha256Fingerprint, a.alias);
      return { status: 'success', alias: r.alias, notes: r.notes, diagnosis: r.diagnosis };
    },
  });
}
