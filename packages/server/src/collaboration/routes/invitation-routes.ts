/** The host's invitations: inviteParticipant (the signed file), invitations paged, one, invalidate, refresh. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireCaller } from '../../http/require-caller.ts';
import { fileResponse, route } from '../../http/route.ts';
import { Success } from '../../http/schemas.ts';
import { hostedCollaboration } from '../collaborations.ts';
import type { CollaborationContext } from '../context.ts';
import type { InvitationDocument } from '../invitation-document.ts';
import { getInvitationRow, type InvitationRow, pageInvitations } from '../invitation-store.ts';
import {
  invalidateInvitation,
  invitationFileName,
  invitationJson,
  inviteParticipant,
  refreshInvitation,
} from '../invite.ts';
import { InvitationJson, InvitationsJson, InviteParams, Paging } from '../schemas.ts';
import { page } from '../views.ts';
import { C, checkPortal, param, TAGS } from './portal-path.ts';

const INVITE_FILE = fileResponse('The signed invitation, collaboration-<guest host>.invite (JSON).', [
  'application/json',
]);

function sendInvitation(reply: FastifyReply, row: InvitationRow, doc: InvitationDocument) {
  return reply
    .header('Content-Disposition', `attachment; filename="${invitationFileName(row)}"`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store')
    .type('application/json')
    .send(JSON.stringify(doc, null, 2));
}

export function registerInvitationRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  const db = () => ctx.kernel.db.kysely;
  const base = { auth: 'admin' as const, tags: TAGS };
  const cid = (req: Parameters<typeof param>[0]) => param(req, 'cid');
  const iid = (req: Parameters<typeof param>[0]) => param(req, 'iid');

  route(app, {
    ...base,
    method: 'POST',
    url: `${C}/inviteParticipant`,
    summary:
      'Invites a portal: answers the signed invitation file collaboration-<guest host>.invite (host URL and id, its certificate chain and the fingerprint to trust, the workspaces and access modes, the guest URL, the expiry, a one-time secret).',
    params: InviteParams,
    response: INVITE_FILE,
    handler: async (req, args, reply) => {
      await checkPortal(ctx, req);
      const { row, doc } = await inviteParticipant(ctx, cid(req), args, requireCaller(req.caller).username);
      return sendInvitation(reply, row, doc);
    },
  });

  route(app, {
    ...base,
    method: ['GET', 'POST'],
    url: `${C}/invitations`,
    summary: 'The invitations of a hosted collaboration, paged (key collaborationInvitations).',
    params: Type.Object(Paging),
    response: InvitationsJson,
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      await hostedCollaboration(ctx, cid(req));
      const start = args.start ?? 1;
      const num = args.num ?? 10;
      const { rows, total } = await pageInvitations(db(), cid(req), start, num);
      const now = ctx.kernel.clock.now();
      return {
        ...page(start, num, total),
        collaborationInvitations: rows.map((r) => invitationJson(r, now)),
      };
    },
  });

  route(app, {
    ...base,
    method: ['GET', 'POST'],
    url: `${C}/invitations/:iid`,
    summary: 'One invitation (never its secret).',
    response: InvitationJson,
    handler: async (req) => {
      await checkPortal(ctx, req);
      await hostedCollaboration(ctx, cid(req));
      return invitationJson(await getInvitationRow(db(), cid(req), iid(req)), ctx.kernel.clock.now());
    },
  });

  route(app, {
    ...base,
    method: 'POST',
    url: `${C}/invitations/:iid/invalidate`,
    summary: 'Invalidates a pending invitation: it can no longer be accepted.',
    response: Success({ invitationId: Type.String() }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      await invalidateInvitation(ctx, cid(req), iid(req));
      return { success: true as const, invitationId: iid(req) };
    },
  });

  route(app, {
    ...base,
    method: 'POST',
    url: `${C}/invitations/:iid/refresh`,
    summary:
      'Extends a pending invitation by 72 hours and answers a new file; the file made before no longer works.',
    response: INVITE_FILE,
    handler: async (req, _args, reply) => {
      await checkPortal(ctx, req);
      const { row, doc } = await refreshInvitation(ctx, cid(req), iid(req));
      return sendInvitation(reply, row, doc);
    },
  });
}
