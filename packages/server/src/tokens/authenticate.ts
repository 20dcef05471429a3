import type { FastifyRequest } from 'fastify';
import type { AppContext, Caller } from '../http/context.ts';

// TODO(tokens): verify token / bearer / session cookie.
export function createAuthenticator(_ctx: AppContext): (req: FastifyRequest) => Promise<Caller | undefined> {
  return async () => undefined;
}
