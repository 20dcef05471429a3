/** The collaboration routes' parameters and answers. Pure TypeBox. */
import { Type } from '@sinclair/typebox';
import { numParam, START_PARAM } from '../http/paging-params.ts';
import { EpochMs, Nullable, PageEnvelope, StringEnum } from '../http/schemas.ts';

/** Texts are checked for their limits in code (a message naming the limit); this only bounds the size. */
const Text = (description: string) => Type.Optional(Type.String({ maxLength: 4000, description }));

export const ACCESS_MODES = ['send', 'receive', 'sendAndReceive'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const Paging = { start: START_PARAM, num: numParam(100) };

const Contact = Type.Object({ firstname: Type.String(), lastname: Type.String(), email: Type.String() });

export const CreateParams = Type.Object({
  name: Text('At most 100 characters.'),
  description: Text('At most 250 characters.'),
  workspaceName: Text('The first workspace: at most 100 characters.'),
  workspaceDescription: Text('At most 250 characters.'),
  portalGroupId: Text('The group of this portal linked to the first workspace.'),
  hostContactFirstname: Text(''),
  hostContactLastname: Text(''),
  hostContactEmailAddress: Text(''),
  accessMode: Type.Optional(StringEnum(ACCESS_MODES)),
  config: Text('A JSON object kept for clients.'),
});

export const UpdateParams = Type.Object({
  name: Text('At most 100 characters.'),
  description: Text('At most 250 characters.'),
  config: Text('A JSON object kept for clients.'),
});

export const WorkspaceParams = Type.Object({
  collaborationWorkspaceName: Text('At most 100 characters.'),
  collaborationWorkspaceDescription: Text('At most 250 characters.'),
  portalGroupId: Text('The group of this portal linked to the workspace.'),
  config: Text('A JSON object kept for clients.'),
});

export const WorkspaceJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  portalGroupId: Nullable(Type.String({ description: "This portal's group linked to the workspace." })),
  config: Type.String(),
  created: EpochMs,
  modified: EpochMs,
});

export const CollaborationJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  config: Type.String(),
  collaborationHostPortalId: Type.String(),
  hostPortalUrl: Type.String(),
  isHost: Type.Boolean({ description: 'This portal hosts the collaboration (false: it is a guest).' }),
  hostContact: Contact,
  workspaces: Type.Array(WorkspaceJson),
  created: EpochMs,
  modified: EpochMs,
});

export const CollaborationsJson = Type.Object({
  ...PageEnvelope,
  collaborations: Type.Array(CollaborationJson),
});
export const WorkspacesJson = Type.Object({ workspaces: Type.Array(WorkspaceJson) });
