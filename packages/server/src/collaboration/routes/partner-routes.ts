/**
 * What partner portals call without a user: this portal's collaboration key (read over TLS by a
 * partner to verify what this portal signed), and the guest's callback that takes an
 * invitation's one-time secret.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { Success } from '../../http/schemas.ts';
import { claim } from '../claim.ts';
import { type CollaborationContext, selfUrl } from '../context.ts';
import { ClaimParams } from '../schemas.ts';
import { checkPortal, P, TAGS } from './portal-path.ts';

export function registerPartnerRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  route(app, {
    method: ['GET', 'POST'],
    url: `${P}/collaborationKey`,
    summary:
      "This portal's collaboration public key (Ed25519, SPKI DER in base64), its id and URL: partners read it over TLS to verify the invitations, responses and calls it signs.",
    tags: TAGS,
    auth: 'public',
    response: Type.Object({
      portalId: Type.String(),
      portalUrl: Type.String(),
      algorithm: Type.Literal('Ed25519'),
      publicKey: Type.String(),
    }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      return {
        portalId: await ctx.orgId(),
        portalUrl: selfUrl(ctx),
        algorithm: 'Ed25519' as const,
        publicKey: (await ctx.key()).publicKey,
      };
    },
  });

  route(app, {
    method: 'POST',
    url: `${P}/collaborationInvitationClaim`,
    summary:
      "A guest accepting an invitation: the invitation's id and one-time secret, the guest's URL and id. Refused when the invitation is unknown, invalidated or replaced, expired, used, or addressed to another URL; `check` only validates.",
    tags: TAGS,
    auth: 'public',
    params: ClaimParams,
    response: Success({
      collaborationId: Type.String(),
      accessModes: Type.Record(Type.String(), Type.String()),
    }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      return { success: true as const, ...(await claim(ctx, args)) };
    },
  });
}
