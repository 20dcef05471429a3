/** A hosted collaboration's workspaces: add, update (name, description, linked group, config), delete. */
import { checkGroup, hostedCollaboration, newId } from './collaborations.ts';
import type { CollaborationContext } from './context.ts';
import { watchLinkedGroup } from './group-link.ts';
import { checkConfig, checkText, DESCRIPTION_MAX, NAME_MAX } from './input.ts';
import {
  deleteWorkspaceRow,
  getWorkspaceRow,
  insertWorkspaceRow,
  updateWorkspaceRow,
  type WorkspaceRow,
} from './store.ts';

export interface WorkspaceInput {
  collaborationWorkspaceName?: string | undefined;
  collaborationWorkspaceDescription?: string | undefined;
  portalGroupId?: string | undefined;
  config?: string | undefined;
}

export async function addWorkspace(
  ctx: CollaborationContext,
  collaborationId: string,
  input: WorkspaceInput,
): Promise<WorkspaceRow> {
  await hostedCollaboration(ctx, collaborationId);
  const now = ctx.kernel.clock.now();
  const groupId = input.portalGroupId?.trim()
    ? await checkGroup(ctx, 'portalGroupId', checkText('portalGroupId', input.portalGroupId, 64, true))
    : null;
  const row: WorkspaceRow = {
    id: newId(),
    collaboration_id: collaborationId,
    name: checkText('collaborationWorkspaceName', input.collaborationWorkspaceName, NAME_MAX, true),
    description: checkText(
      'collaborationWorkspaceDescription',
      input.collaborationWorkspaceDescription,
      DESCRIPTION_MAX,
      false,
    ),
    portal_group_id: groupId,
    config: checkConfig(input.config),
    host_access: 'sendAndReceive',
    created: now,
    modified: now,
  };
  await insertWorkspaceRow(ctx.kernel.db.kysely, row);
  await watchLinkedGroup(ctx, row);
  return row;
}

export async function updateWorkspace(
  ctx: CollaborationContext,
  collaborationId: string,
  id: string,
  input: WorkspaceInput,
): Promise<WorkspaceRow> {
  await hostedCollaboration(ctx, collaborationId);
  const db = ctx.kernel.db.kysely;
  await getWorkspaceRow(db, collaborationId, id);
  const changes: Partial<WorkspaceRow> = { modified: ctx.kernel.clock.now() };
  if (input.collaborationWorkspaceName !== undefined)
    changes.name = checkText('collaborationWorkspaceName', input.collaborationWorkspaceName, NAME_MAX, true);
  if (input.collaborationWorkspaceDescription !== undefined)
    changes.description = checkText(
      'collaborationWorkspaceDescription',
      input.collaborationWorkspaceDescription,
      DESCRIPTION_MAX,
      false,
    );
  if (input.portalGroupId !== undefined)
    changes.portal_group_id = input.portalGroupId.trim()
      ? await checkGroup(ctx, 'portalGroupId', checkText('portalGroupId', input.portalGroupId, 64, true))
      : null;
  if (input.config !== undefined) changes.config = checkConfig(input.config);
  await updateWorkspaceRow(db, id, changes);
  const after = await getWorkspaceRow(db, collaborationId, id);
  await watchLinkedGroup(ctx, after);
  return after;
}

export async function deleteWorkspace(ctx: CollaborationContext, collaborationId: string, id: string) {
  await hostedCollaboration(ctx, collaborationId);
  const db = ctx.kernel.db.kysely;
  await getWorkspaceRow(db, collaborationId, id);
  await deleteWorkspaceRow(db, id);
}
