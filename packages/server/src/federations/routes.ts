import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { StatusSuccess } from '../http/schemas.ts';
import type { FederationsService } from './service.ts';

const TAGS = ['portaladmin', 'federations'];
const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;
const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T, description: string) =>
  Type.Union([t, Type.Null()], { description });

export const FederationJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  metadataUrl: Type.String({ description: 'The signed aggregate.' }),
  mdqUrl: Type.Union([Type.String(), Type.Null()]),
  discoveryUrl: Type.Union([Type.String(), Type.Null()]),
  signingCertificates: Type.String({ description: 'PEM.' }),
  validUntil: Nullable(
    Type.Number(),
    'validUntil of the metadata in use (epoch ms); null before the first good load.',
  ),
  cacheDurationMs: Nullable(Type.Number(), 'Its cacheDuration.'),
  entities: Type.Number({ description: 'Entities in the metadata in use.' }),
  identityProviders: Type.Number({ description: 'Identity providers indexed from it.' }),
  metadataBytes: Type.Number(),
  lastSuccess: Nullable(Type.Number(), 'When the metadata in use was loaded.'),
  lastAttempt: Nullable(Type.Number(), 'The last refresh, good or not.'),
  lastError: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()], {
    description: 'Why the last refresh failed (the metadata in use stays); null when it succeeded.',
  }),
  nextRefresh: Type.Number({ description: 'When the next scheduled refresh is due.' }),
  refreshing: Type.Boolean({ description: 'A refresh holds the lease now.' }),
});

/** GET portaladmin/federations, federations/<id>; POST federations/<id>/refresh. */
export function registerFederationRoutes(app: FastifyInstance, service: FederationsService): void {
  route(app, {
    method: 'GET',
    url: '/portaladmin/federations',
    summary:
      'The federations (the sources of federation logins) and the state of their metadata: the generation in use (entities, identity providers, validUntil, when it was loaded), the last refresh and why it failed, the next one.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: Type.Object({ federations: Type.Array(FederationJson) }),
    handler: async () => ({ federations: await service.list() }),
  });

  route(app, {
    method: 'GET',
    url: '/portaladmin/federations/:id',
    summary: 'One federation and the state of its metadata.',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: FederationJson,
    handler: (req) => service.get(idOf(req)),
  });

  route(app, {
    method: 'POST',
    url: '/portaladmin/federations/:id/refresh',
    summary:
      'Loads the federation’s metadata again now, as a job (kind federations.refresh): answers its id; its progress is at portaladmin/jobs/<jobId>. A refused or failed load keeps the metadata in use and records why (lastError).',
    tags: TAGS,
    auth: 'admin',
    errors: 'portaladmin',
    response: StatusSuccess({ jobId: Type.String() }),
    handler: async (req) => ({ status: 'success' as const, jobId: await service.refresh(idOf(req)) }),
  });
}
