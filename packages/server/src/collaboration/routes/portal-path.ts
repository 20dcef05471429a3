/** The Sharing API path of this portal's collaboration resources: portals/self/… and portals/<its id>/… alike. */
import type { FastifyRequest } from 'fastify';
import { NotFound } from '../../kernel/errors/common.ts';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { CollaborationContext } from '../context.ts';

export const P = '/sharing/rest/portals/:portalId';
export const C = `${P}/collaborations/:cid`;
export const TAGS = ['collaboration'];

export async function checkPortal(ctx: CollaborationContext, req: FastifyRequest): Promise<void> {
  const { portalId } = req.params as { portalId: string };
  if (portalId !== 'self' && portalId !== (await ctx.orgId()))
    throw new MeridianError(NotFound, `There is no portal ${JSON.stringify(portalId.slice(0, 64))} here.`);
}

export const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name]!;
