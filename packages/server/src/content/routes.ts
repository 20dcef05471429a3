import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';

// TODO(content): items, folders, groups, sharing, search.
export async function registerContentRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
