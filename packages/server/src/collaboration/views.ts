/** The JSON answers of collaborations and workspaces. */
import type { Static } from '@sinclair/typebox';
import { hostAccessOf } from './access-modes.ts';
import { policyOf } from './delete-policy.ts';
import { linkOf } from './group-link.ts';
import type { CollaborationJson, WorkspaceJson } from './schemas.ts';
import type { CollaborationRow, WorkspaceRow } from './store.ts';

export function workspaceJson(w: WorkspaceRow): Static<typeof WorkspaceJson> {
  return {
    id: w.id,
    name: w.name,
    description: w.description,
    portalGroupId: w.portal_group_id,
    config: w.config,
    portalGroupLink: (({ portalGroupId: _, ...settings }) => settings)(linkOf(w)),
    hostAccessMode: hostAccessOf(w),
    created: Number(w.created),
    modified: Number(w.modified),
  };
}

export function collaborationJson(
  c: CollaborationRow,
  workspaces: WorkspaceRow[],
): Static<typeof CollaborationJson> {
  const hostWorkspaces = c.role === 'host' ? workspaces : [];
  const contact = JSON.parse(c.host_contact) as { firstname?: string; lastname?: string; email?: string };
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    config: c.config,
    collaborationHostPortalId: c.host_portal_id,
    hostPortalUrl: c.host_url,
    isHost: c.role === 'host',
    hostContact: {
      firstname: contact.firstname ?? '',
      lastname: contact.lastname ?? '',
      email: contact.email ?? '',
    },
    accessMode: hostWorkspaces[0] ? hostAccessOf(hostWorkspaces[0]) : null,
    ...policyOf(c),
    workspaces: workspaces.map(workspaceJson),
    created: Number(c.created),
    modified: Number(c.modified),
  };
}

/** start/num/nextStart of a page (start 1-based; nextStart -1 on the last page). */
export function page(start: number, num: number, total: number) {
  const next = start + num;
  return { total, start, num, nextStart: num > 0 && next <= total ? next : -1 };
}
