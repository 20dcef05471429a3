import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../http/route.ts';
import { StatusSuccess } from '../http/schemas.ts';
import { FederationJson } from './schemas.ts';
import type { FederationsService } from './service.ts';

const TAGS = ['portaladmin', 'federations'];
const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;
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
