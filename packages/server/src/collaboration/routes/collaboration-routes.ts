/** Host administration: collaborations and their workspaces (ArcGIS names under portals/self/). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireCaller } from '../../http/require-caller.ts';
import { route } from '../../http/route.ts';
import { Success } from '../../http/schemas.ts';
import { createCollaboration, deleteCollaboration, updateCollaboration } from '../collaborations.ts';
import type { CollaborationContext } from '../context.ts';
import { endAllPartnerships } from '../revoke.ts';
import {
  CollaborationJson,
  CollaborationsJson,
  CreateParams,
  Paging,
  UpdateParams,
  WidePaging,
  WorkspaceJson,
  WorkspaceParams,
  WorkspacesJson,
} from '../schemas.ts';
import {
  getCollaborationRow,
  getWorkspaceRow,
  listWorkspaceRows,
  pageCollaborations,
  pageWorkspaceRows,
} from '../store.ts';
import { collaborationJson, page, workspaceJson } from '../views.ts';
import { addWorkspace, deleteWorkspace, updateWorkspace } from '../workspaces.ts';
import { C, checkPortal, P, param, TAGS } from './portal-path.ts';

export function registerCollaborationRoutes(app: FastifyInstance, ctx: CollaborationContext): void {
  const db = () => ctx.kernel.db.kysely;
  const base = { auth: 'admin' as const, tags: TAGS };
  const read = { ...base, method: ['GET', 'POST'] as ('GET' | 'POST')[] };
  const post = { ...base, method: 'POST' as const };
  const cid = (req: Parameters<typeof param>[0]) => param(req, 'cid');

  route(app, {
    ...post,
    url: `${P}/createCollaboration`,
    summary:
      'Creates a collaboration hosted by this portal, with its first workspace linked to portalGroupId.',
    params: CreateParams,
    response: Type.Object({ collaboration: Type.Object({ id: Type.String() }) }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const row = await createCollaboration(ctx, args, requireCaller(req.caller).username);
      return { collaboration: { id: row.id } };
    },
  });

  route(app, {
    ...read,
    url: `${P}/collaborations`,
    summary: 'The collaborations this portal hosts or takes part in, paged (start 1-based, num ≤ 100).',
    params: Type.Object(Paging),
    response: CollaborationsJson,
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const start = args.start ?? 1;
      const num = args.num ?? 10;
      const { rows, total } = await pageCollaborations(db(), start, num);
      const collaborations = [];
      for (const r of rows) collaborations.push(collaborationJson(r, await listWorkspaceRows(db(), r.id)));
      return { ...page(start, num, total), collaborations };
    },
  });

  route(app, {
    ...read,
    url: C,
    summary: 'One collaboration, with its workspaces.',
    response: CollaborationJson,
    handler: async (req) => {
      await checkPortal(ctx, req);
      const row = await getCollaborationRow(db(), cid(req));
      return collaborationJson(row, await listWorkspaceRows(db(), row.id));
    },
  });

  route(app, {
    ...post,
    url: `${C}/updateInfo`,
    summary: 'Changes the name, description or config of a hosted collaboration (what is given changes).',
    params: UpdateParams,
    response: Success({ collaborationId: Type.String() }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      await updateCollaboration(ctx, cid(req), args);
      return { success: true as const, collaborationId: cid(req) };
    },
  });

  route(app, {
    ...post,
    url: `${C}/delete`,
    summary:
      'On the host: deletes the collaboration with its workspaces, invitations and participants (each partner told first). On a guest that left or was removed: deletes its record of the collaboration (workspaces, partner record, sync state and schedules; received items stay as the delete policy left them when the partnership ended); refused (collaboration.leave_first) while it is still an active participant.',
    response: Success({ collaborationId: Type.String() }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      if ((await getCollaborationRow(db(), cid(req))).role === 'host')
        await endAllPartnerships(ctx, cid(req));
      await deleteCollaboration(ctx, cid(req));
      return { success: true as const, collaborationId: cid(req) };
    },
  });

  route(app, {
    ...read,
    url: `${C}/workspaces`,
    summary: "A collaboration's workspaces, paged (start 1-based, num ≤ 100, default 100).",
    params: Type.Object(WidePaging),
    response: WorkspacesJson,
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const row = await getCollaborationRow(db(), cid(req));
      const start = args.start ?? 1;
      const num = args.num ?? 100;
      const { rows, total } = await pageWorkspaceRows(db(), row.id, start, num);
      return { ...page(start, num, total), workspaces: rows.map(workspaceJson) };
    },
  });

  route(app, {
    ...read,
    url: `${C}/workspaces/:wid`,
    summary: 'One workspace.',
    response: WorkspaceJson,
    handler: async (req) => {
      await checkPortal(ctx, req);
      return workspaceJson(await getWorkspaceRow(db(), cid(req), param(req, 'wid')));
    },
  });

  route(app, {
    ...post,
    url: `${C}/addWorkspace`,
    summary:
      'Adds a workspace (collaborationWorkspaceName ≤ 100 characters, collaborationWorkspaceDescription ≤ 250) to a hosted collaboration, optionally linked to portalGroupId.',
    params: WorkspaceParams,
    response: Success({ workspace: WorkspaceJson }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      return { success: true as const, workspace: workspaceJson(await addWorkspace(ctx, cid(req), args)) };
    },
  });

  route(app, {
    ...post,
    url: `${C}/workspaces/:wid/updateInfo`,
    summary: "Changes a workspace's name, description, linked group or config (what is given changes).",
    params: WorkspaceParams,
    response: Success({ workspace: WorkspaceJson }),
    handler: async (req, args) => {
      await checkPortal(ctx, req);
      const w = await updateWorkspace(ctx, cid(req), param(req, 'wid'), args);
      return { success: true as const, workspace: workspaceJson(w) };
    },
  });

  route(app, {
    ...post,
    url: `${C}/workspaces/:wid/delete`,
    summary: 'Deletes a workspace of a hosted collaboration.',
    response: Success({ workspaceId: Type.String() }),
    handler: async (req) => {
      await checkPortal(ctx, req);
      await deleteWorkspace(ctx, cid(req), param(req, 'wid'));
      return { success: true as const, workspaceId: param(req, 'wid') };
    },
  });
}
