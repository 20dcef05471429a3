/**
 * Collaborations between portals (sharing/rest/portals/self/…): the collaborations this portal
 * hosts or takes part in, and the host's workspaces. Invitations, the trust exchange and
 * participants are in collaboration-exchange.ts.
 */

import type {
  ACCESS_MODES,
  CollaborationJson,
  ParticipantJson,
  WorkspaceJson,
} from '@meridian/server/collaboration/schemas.ts';
import type { Static } from '@sinclair/typebox';
import { request } from './client.ts';
import type { PageEnvelope } from './paging.ts';

export const COLLABORATIONS = '/sharing/rest/portals/self';
const enc = encodeURIComponent;

/** The path of one collaboration's resource: collaborations/<id>[/<resource>]. */
export function collaborationPath(id: string, resource = ''): string {
  return `${COLLABORATIONS}/collaborations/${enc(id)}${resource ? `/${resource}` : ''}`;
}

export type Collaboration = Static<typeof CollaborationJson>;
export type Workspace = Static<typeof WorkspaceJson>;
export type Participant = Static<typeof ParticipantJson>;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** The guest's access modes, as the host offers them per workspace. */
export const ACCESS_MODE_OPTIONS: readonly { value: AccessMode; label: string }[] = [
  { value: 'sendAndReceive', label: 'Send and receive' },
  { value: 'send', label: 'Send only' },
  { value: 'receive', label: 'Receive only' },
];

export function formatAccessMode(mode: string): string {
  return ACCESS_MODE_OPTIONS.find((m) => m.value === mode)?.label ?? mode;
}

export type CollaborationPage = PageEnvelope & { collaborations: Collaboration[] };

export function listCollaborations(start = 1, num = 100): Promise<CollaborationPage> {
  return request<CollaborationPage>(`${COLLABORATIONS}/collaborations`, { query: { start, num } });
}

export function getCollaboration(id: string): Promise<Collaboration> {
  return request<Collaboration>(collaborationPath(id));
}

export interface NewCollaboration {
  name: string;
  description: string;
  workspaceName: string;
  workspaceDescription: string;
  portalGroupId: string;
  hostContactFirstname: string;
  hostContactLastname: string;
  hostContactEmailAddress: string;
  /** This portal's own access to the first workspace. */
  accessMode: AccessMode;
}

export async function createCollaboration(c: NewCollaboration): Promise<string> {
  const a = await request<{ collaboration: { id: string } }>(`${COLLABORATIONS}/createCollaboration`, {
    method: 'POST',
    form: { ...c },
  });
  return a.collaboration.id;
}

export function updateCollaboration(id: string, changes: { name: string; description: string }) {
  return request<{ success: boolean }>(collaborationPath(id, 'updateInfo'), {
    method: 'POST',
    form: changes,
  });
}

export function deleteCollaboration(id: string) {
  return request<{ success: boolean }>(collaborationPath(id, 'delete'), { method: 'POST', form: {} });
}

export interface WorkspaceFields {
  name: string;
  description: string;
  /** This portal's group linked to the workspace ('' for none). */
  portalGroupId: string;
}

function workspaceForm(w: WorkspaceFields) {
  return {
    collaborationWorkspaceName: w.name,
    collaborationWorkspaceDescription: w.description,
    portalGroupId: w.portalGroupId || undefined,
  };
}

export async function addWorkspace(collaborationId: string, w: WorkspaceFields): Promise<Workspace> {
  const a = await request<{ workspace: Workspace }>(collaborationPath(collaborationId, 'addWorkspace'), {
    method: 'POST',
    form: workspaceForm(w),
  });
  return a.workspace;
}

export async function updateWorkspace(
  collaborationId: string,
  workspaceId: string,
  w: WorkspaceFields,
): Promise<Workspace> {
  const a = await request<{ workspace: Workspace }>(
    collaborationPath(collaborationId, `workspaces/${enc(workspaceId)}/updateInfo`),
    { method: 'POST', form: workspaceForm(w) },
  );
  return a.workspace;
}

export function deleteWorkspace(collaborationId: string, workspaceId: string) {
  return request<{ success: boolean }>(
    collaborationPath(collaborationId, `workspaces/${enc(workspaceId)}/delete`),
    { method: 'POST', form: {} },
  );
}
