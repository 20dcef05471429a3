/**
 * Collaborations as their host administers them: create (with its first workspace linked to a
 * group), update, delete. A guest's copy of a collaboration is made by accepting an invitation.
 */
import { randomBytes } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { checkHostAccess } from './access-modes.ts';
import { type CollaborationContext, selfUrl } from './context.ts';
import { CollaborationGroupNotFound, CollaborationLeaveFirst, CollaborationNotHost } from './errors.ts';
import { watcherOf, watchLinkedGroup } from './group-link.ts';
import { checkConfig, checkEmail, checkText, DESCRIPTION_MAX, NAME_MAX } from './input.ts';
import { findParticipantRow } from './participant-store.ts';
import {
  type CollaborationRow,
  deleteCollaborationRows,
  getCollaborationRow,
  insertCollaborationRow,
  insertWorkspaceRow,
  listWorkspaceRows,
  updateCollaborationRow,
  type WorkspaceRow,
} from './store.ts';

export const newId = () => randomBytes(16).toString('hex');

export interface CreateInput {
  name?: string | undefined;
  description?: string | undefined;
  workspaceName?: string | undefined;
  workspaceDescription?: string | undefined;
  portalGroupId?: string | undefined;
  hostContactFirstname?: string | undefined;
  hostContactLastname?: string | undefined;
  hostContactEmailAddress?: string | undefined;
  accessMode?: string | undefined;
  config?: string | undefined;
}

/** The group `id` of this portal, checked through content's API (collaboration.group_not_found). */
export async function checkGroup(ctx: CollaborationContext, param: string, id: string): Promise<string> {
  const group = await ctx.groups.find(id);
  if (!group)
    throw new MeridianError(
      CollaborationGroupNotFound,
      `'${param}' is '${id.slice(0, 64)}', which is no group of this portal. ${CollaborationGroupNotFound.fix}`,
    );
  return group.id;
}

/** createCollaboration: the collaboration and its first workspace, linked to portalGroupId. */
export async function createCollaboration(
  ctx: CollaborationContext,
  input: CreateInput,
  by: string,
): Promise<CollaborationRow> {
  const name = checkText('name', input.name, NAME_MAX, true);
  const description = checkText('description', input.description, DESCRIPTION_MAX, false);
  const workspaceName = checkText('workspaceName', input.workspaceName, NAME_MAX, true);
  const workspaceDescription = checkText(
    'workspaceDescription',
    input.workspaceDescription,
    DESCRIPTION_MAX,
    false,
  );
  const groupId = await checkGroup(
    ctx,
    'portalGroupId',
    checkText('portalGroupId', input.portalGroupId, 64, true),
  );
  const contact = {
    firstname: checkText('hostContactFirstname', input.hostContactFirstname, 100, false),
    lastname: checkText('hostContactLastname', input.hostContactLastname, 100, false),
    email: checkEmail('hostContactEmailAddress', input.hostContactEmailAddress),
  };
  const config = checkConfig(input.config);
  const hostAccess = checkHostAccess(input.accessMode);
  const now = ctx.kernel.clock.now();
  const row: CollaborationRow = {
    id: newId(),
    name,
    description,
    role: 'host',
    host_portal_id: await ctx.orgId(),
    host_url: selfUrl(ctx),
    host_contact: JSON.stringify(contact),
    own_contact: '{}',
    config,
    created_by: by,
    created: now,
    modified: now,
  };
  const workspace: WorkspaceRow = {
    id: newId(),
    collaboration_id: row.id,
    name: workspaceName,
    description: workspaceDescription,
    portal_group_id: groupId,
    config: '',
    host_access: hostAccess,
    created: now,
    modified: now,
  };
  await ctx.kernel.db.kysely.transaction().execute(async (trx) => {
    await insertCollaborationRow(trx, row);
    await insertWorkspaceRow(trx, workspace);
  });
  await watchLinkedGroup(ctx, workspace);
  return row;
}

/** The collaboration, refused (collaboration.not_host) unless this portal hosts it. */
export async function hostedCollaboration(ctx: CollaborationContext, id: string): Promise<CollaborationRow> {
  const row = await getCollaborationRow(ctx.kernel.db.kysely, id);
  if (row.role !== 'host')
    throw new MeridianError(
      CollaborationNotHost,
      `This portal is a guest of collaboration '${row.name}'; its host is ${row.host_url}. ${CollaborationNotHost.fix}`,
    );
  return row;
}

export interface UpdateInput {
  name?: string | undefined;
  description?: string | undefined;
  config?: string | undefined;
}

/** updateInfo: what is given changes; the rest stays. */
export async function updateCollaboration(ctx: CollaborationContext, id: string, input: UpdateInput) {
  await hostedCollaboration(ctx, id);
  const changes: Partial<CollaborationRow> = { modified: ctx.kernel.clock.now() };
  if (input.name !== undefined) changes.name = checkText('name', input.name, NAME_MAX, true);
  if (input.description !== undefined)
    changes.description = checkText('description', input.description, DESCRIPTION_MAX, false);
  if (input.config !== undefined) changes.config = checkConfig(input.config);
  await updateCollaborationRow(ctx.kernel.db.kysely, id, changes);
}

/**
 * delete: the collaboration and everything this portal kept of it go (store.ts
 * deleteCollaborationRows), and its linked groups are no longer watched. The host deletes its
 * collaboration (its partnerships ended first, collaboration-routes.ts); a guest deletes its
 * record only once it is no longer an active participant (it left, or the host removed it),
 * else collaboration.leave_first. Received items stay as the delete policy left them when the
 * partnership ended.
 */
export async function deleteCollaboration(ctx: CollaborationContext, id: string): Promise<void> {
  const db = ctx.kernel.db.kysely;
  const row = await getCollaborationRow(db, id);
  if (row.role !== 'host') {
    const host = await findParticipantRow(db, id, row.host_portal_id);
    if (host?.state === 'active')
      throw new MeridianError(
        CollaborationLeaveFirst,
        `This portal is still an active guest of collaboration '${row.name}' (host ${row.host_url}): it must leave before it deletes its record. ${CollaborationLeaveFirst.fix}`,
      );
  }
  const workspaces = await listWorkspaceRows(db, id);
  await deleteCollaborationRows(db, id);
  for (const w of workspaces)
    if (w.portal_group_id) await ctx.content.changes.unwatch(w.portal_group_id, watcherOf(w.id));
}
