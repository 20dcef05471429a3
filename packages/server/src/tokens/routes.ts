import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../http/context.ts';

// TODO(tokens): generateToken, web session, signout.
export async function registerTokenRoutes(_app: FastifyInstance, _ctx: AppContext): Promise<void> {}
