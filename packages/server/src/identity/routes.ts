import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';

// TODO(identity): community/self, community/users, portals/self/users/search, portaladmin/security/users/*.
export async function registerIdentityRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
