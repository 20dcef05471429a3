/**
 * Group links and partners' rights: workspaces/<id>/updatePortalGroupLink and
 * removePortalGroupLink (each side links its own group), participants/<id>/
 * updateParticipantAccessModes (host; the guest is told with partnerAccessModes),
 * updateItemDeletePolicy (each side its own).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { route } from '../../http/route.ts';
import { StringEnum, Success } from '../../http/schemas.ts';
import { partnerAccessModes, updateParticipantAccessModes } from '../access-modes.ts';
import type { CollaborationContext } from '../context.ts';
import { updateItemDeletePolicy } from '../delete-policy.ts';
import { removePortalGroupLink, SHARE_AS, UNSHARED_COPIES, updatePortalGroupLink } from '../group-link.ts';
import { verifyPartnerCall } from '../partner-auth.ts';
import { WorkspaceJson } from '../schemas.ts';
import { workspaceJson } from '../views.ts';
import { C, checkPortal, param, TAGS } from './portal-path.ts';

const Bool = (description: string) => Type.Optional(Type.Boolean({ description }));

export function registerLinkRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  const post = { method: 'POST' as const, auth: 'admin' as const, tags: TAGS };
  const cid = (req: Parameters<typeof param>[0]) => param(req, 'cid');

  route(app, {
    ...post,
    url: `${C}/workspaces/:wid/updatePortalGroupLink`,
    summary:
      "Links a group of this portal to the workspace (host and guest each link their own) and sets how it syncs: enableRealtimeSync, copyFeatureServiceData, copyByRefIfCopyFail; Meridian's shareItemsAs (copy | reference: how this portal sends the group's items) and unsharedCopies (keep | delete: a received copy whose origin was unshared or deleted).",
    params: Type.Object({
      portalGroupId: Type.Optional(Type.String({ maxLength: 200 })),
      enableRealtimeSync: Bool(
        'The guest pushes its changes as they happen and waits on the host for its changes.',
      ),
      copyFeatureServiceData: Bool(
        'When this portal sends copies: a Feature Service item whose service is on one of its federated servers goes with its features (a GeoJSON export, SHA-256-checked and resumable), and the partner publishes them on its own hosting server as a new service. Otherwise (or for another site’s service) it goes by reference.',
      ),
      copyByRefIfCopyFail: Bool(
        'When this portal sends a feature-service copy the partner cannot make (no hosting server there, publishing fails, or the export fails here): it arrives as a reference to the source service, with the reason in the sync history; when false, the change fails (recorded in the sync history) and is tried again at the next sync.',
      ),
      shareItemsAs: Type.Optional(StringEnum(SHARE_AS)),
      unsharedCopies: Type.Optional(StringEnum(UNSHARED_COPIES)),
    }),
    response: Success({ workspace: WorkspaceJson }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const w = await updatePortalGroupLink(ctx, cid(req), param(req, 'wid'), args);
      return { success: true as const, workspace: workspaceJson(w) };
    },
  });

  route(app, {
    ...post,
    url: `${C}/workspaces/:wid/removePortalGroupLink`,
    summary: "Unlinks this portal's group from the workspace: nothing of it is sent or received any more.",
    response: Success({ workspace: WorkspaceJson }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      const w = await removePortalGroupLink(ctx, cid(req), param(req, 'wid'));
      return { success: true as const, workspace: workspaceJson(w) };
    },
  });

  route(app, {
    ...post,
    url: `${C}/participants/:pid/updateParticipantAccessModes`,
    summary:
      'Sets a guest’s access mode per workspace (collaborationWorkspacesAccessJSON: [{"<workspace id>":"send|receive|sendAndReceive"}]); the guest is told. Its sync calls are refused by mode from then on.',
    params: Type.Object({
      collaborationWorkspacesAccessJSON: Type.Optional(Type.String({ maxLength: 20_000 })),
    }),
    response: Success({
      participantId: Type.String(),
      accessModes: Type.Record(Type.String(), Type.String()),
      partnerTold: Type.Boolean(),
    }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const r = await updateParticipantAccessModes(
        ctx,
        cid(req),
        param(req, 'pid'),
        args.collaborationWorkspacesAccessJSON,
      );
      return { success: true as const, participantId: param(req, 'pid'), ...r };
    },
  });

  route(app, {
    ...post,
    url: `${C}/updateItemDeletePolicy`,
    summary:
      'What happens to items when a participant leaves or the collaboration is deleted: deleteContributedItems (partners delete what this portal sent), deleteReceivedItems (this portal deletes what it received). Items kept are marked no longer synced.',
    params: Type.Object({
      deleteContributedItems: Bool('Partners delete the items this portal contributed.'),
      deleteReceivedItems: Bool('This portal deletes the items it received.'),
    }),
    response: Success({ deleteContributedItems: Type.Boolean(), deleteReceivedItems: Type.Boolean() }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      return { success: true as const, ...(await updateItemDeletePolicy(ctx, cid(req), args)) };
    },
  });

  route(app, {
    method: 'POST',
    url: `${C}/partnerAccessModes`,
    summary: "The host's signed call: the guest's access modes per workspace changed.",
    tags: TAGS,
    auth: 'public',
    params: Type.Object({ accessModes: Type.String({ maxLength: 20_000 }) }),
    response: Success({}),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      await partnerAccessModes(ctx, await verifyPartnerCall(ctx, req, cid(req)), args.accessModes);
      return { success: true as const };
    },
  });
}
