import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import type { PkiContext } from '../context.ts';
import { trustPresentedCertificate } from '../store/trust-presented.ts';

const TAGS = ['portaladmin', 'diagnosis'];

/** Why the portal can or cannot trust an HTTPS site, with the fix; and "trust this" after confirmation. */
export async function registerDiagnoseRoutes(app: FastifyInstance, ctx: PkiContext): Promise<void> {
  route<{ url: string }>(app, {
    method: ['GET', 'POST'],
    url: '/portaladmin/security/diagnose',
    summary:
      'Connects to https://host[:port][/path] with the trust store and explains the result (a failure found is still a successful answer, ok:false).',
    tags: TAGS,
    auth: 'admin',
    params: { url: { type: 'string', description: 'https://host[:port][/path]' } },
    required: ['url'],
    handler: (_req, a) => ctx.outbound.diagnose(a.url),
  });

  route<{ url: string; sha256Fingerprint: string; alias?: string }>(app, {
    method: 'POST',
    url: '/portaladmin/security/diagnose/trust',
    summary:
      'Imports the certificate the diagnosis suggests into the trust store, only if its SHA-256 fingerprint is the one confirmed.',
    tags: TAGS,
    auth: 'admin',
    params: {
      url: { type: 'string', description: 'https://host[:port][/path]' },
      sha256Fingerprint: { type: 'string', description: 'The fingerprint the administrator confirmed.' },
      alias: { type: 'string', description: 'Alias in the trust store (default: from the subject).' },
    },
    required: ['url', 'sha256Fingerprint'],
    handler: async (_req, a) => {
      const r = await trustPresentedCertificate(ctx, a.url, a.sha256Fingerprint, a.alias);
      return { status: 'success', alias: r.alias, notes: r.notes, diagnosis: r.diagnosis };
    },
  });
}
