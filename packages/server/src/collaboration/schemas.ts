/** The collaboration routes' parameters and answers. Pure TypeBox. */
import { Type } from '@sinclair/typebox';
import { numParam, START_PARAM } from '../http/paging-params.ts';
import { EpochMs, Nullable, PageEnvelope, StringEnum } from '../http/schemas.ts';

/** Texts are checked for their limits in code (a message naming the limit); this only bounds the size. */
const Text = (description: string) => Type.Optional(Type.String({ maxLength: 4000, description }));

export const ACCESS_MODES = ['send', 'receive', 'sendAndReceive'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

/** An access mode, or null where this portal does not know it. */
const NullableAccessMode = (description: string) =>
  Type.Unsafe<AccessMode | null>({ type: ['string', 'null'], enum: [...ACCESS_MODES, null], description });

export const Paging = { start: START_PARAM, num: numParam(100) };
/** Lists that answered every row before they were paged: a page of 100 by default. */
export const WidePaging = { start: START_PARAM, num: numParam(100, 'Results per page, default 100') };

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
  accessMode: Type.Optional(
    StringEnum(ACCESS_MODES, {
      description:
        "This portal's own access to the first workspace (default sendAndReceive): with send it only sends its group's items, with receive it only receives participants' items; guests there are given the matching mode.",
    }),
  ),
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
  portalGroupLink: Type.Optional(
    Type.Object(
      {
        enableRealtimeSync: Type.Boolean(),
        copyFeatureServiceData: Type.Boolean(),
        copyByRefIfCopyFail: Type.Boolean(),
        shareItemsAs: Type.String({
          description: 'copy | reference: how this portal sends the group’s items.',
        }),
        unsharedCopies: Type.String({
          description: 'keep | delete: a received copy whose origin was unshared.',
        }),
      },
      { description: "The link's settings (updatePortalGroupLink)." },
    ),
  ),
  hostAccessMode: NullableAccessMode(
    "The host's own access mode in the workspace (null on a guest, which is not told it).",
  ),
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
  accessMode: NullableAccessMode(
    "On the host: its own access mode in the first workspace (createCollaboration's accessMode).",
  ),
  deleteContributedItems: Type.Boolean({
    description:
      'This portal’s item delete policy (updateItemDeletePolicy): partners delete what it contributed when the partnership ends.',
  }),
  deleteReceivedItems: Type.Boolean({
    description: 'This portal deletes what it received when the partnership ends.',
  }),
  workspaces: Type.Array(WorkspaceJson),
  created: EpochMs,
  modified: EpochMs,
});

export const CollaborationsJson = Type.Object({
  ...PageEnvelope,
  collaborations: Type.Array(CollaborationJson),
});
export const WorkspacesJson = Type.Object({ ...PageEnvelope, workspaces: Type.Array(WorkspaceJson) });

export const InviteParams = Type.Object({
  guestPortalUrl: Type.String({
    minLength: 1,
    maxLength: 2048,
    description: "The guest portal's https:// URL.",
  }),
  collaborationWorkspacesParticipantConfigJSON: Type.String({
    minLength: 1,
    maxLength: 20_000,
    description:
      'The guest\'s access mode per workspace: [{"<workspace id>":"send"|"receive"|"sendAndReceive"}].',
  }),
  expiration: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 8760, description: 'Hours the invitation is valid (default 24).' }),
  ),
});

export const InvitationJson = Type.Object({
  id: Type.String(),
  collaborationId: Type.String(),
  guestPortalUrl: Type.String(),
  accessModes: Type.Record(Type.String(), Type.String()),
  expiration: EpochMs,
  status: StringEnum(['pending', 'accepted', 'completed', 'invalidated', 'expired']),
  guestPortalId: Nullable(Type.String()),
  created: EpochMs,
  modified: EpochMs,
});

export const InvitationsJson = Type.Object({
  ...PageEnvelope,
  collaborationInvitations: Type.Array(InvitationJson),
});

const Trust = Type.Optional(
  Type.String({
    maxLength: 200,
    description:
      "The SHA-256 fingerprint (any case, colons optional) of the partner's certificate to trust, as the signed file and the untrusted_certificate answer give it.",
  }),
);

/**
 * Parameters ArcGIS clients send for a partner behind web-tier authentication. Meridian's
 * partner calls are authenticated by the keys exchanged in the invitation, never by a person's
 * password: an empty value is accepted, any other refused (collaboration.webauth_not_needed),
 * never logged or stored.
 */
export const WEBAUTH_NOTE =
  'Not used: partner calls are authenticated by the keys exchanged in the invitation, never by a password or client certificate. Leave it empty; a value is refused (collaboration.webauth_not_needed) and neither logged nor stored.';
const webauth = (prefix: string) => ({
  [`${prefix}WebauthUsername`]: Type.Optional(Type.String({ maxLength: 256, description: WEBAUTH_NOTE })),
  [`${prefix}WebauthPassword`]: Type.Optional(Type.String({ maxLength: 1024, description: WEBAUTH_NOTE })),
  [`${prefix}WebauthCertPassword`]: Type.Optional(
    Type.String({ maxLength: 1024, description: WEBAUTH_NOTE }),
  ),
});

export const AcceptParams = Type.Object({
  invitationJSON: Type.Optional(
    Type.String({ maxLength: 256 * 1024, description: "The invitation file's text." }),
  ),
  guestContactFirstname: Text(''),
  guestContactLastname: Text(''),
  guestContactEmailAddress: Text(''),
  trustPresentedCertificate: Trust,
  ...webauth('host'),
});

export const ImportResponseParams = Type.Object({
  trustPresentedCertificate: Trust,
  ...webauth('guest'),
});

export const ClaimParams = Type.Object({
  invitationId: Type.String({ minLength: 1, maxLength: 64 }),
  secret: Type.String({ minLength: 1, maxLength: 200 }),
  guestPortalUrl: Type.String({ minLength: 1, maxLength: 2048 }),
  guestPortalId: Type.String({ minLength: 1, maxLength: 128 }),
  check: Type.Optional(Type.Boolean()),
});

export const ParticipantJson = Type.Object({
  participantId: Type.String({ description: "The partner's portal id." }),
  portalUrl: Type.String(),
  name: Type.String(),
  role: StringEnum(['host', 'guest']),
  state: StringEnum(['active', 'removed']),
  accessModes: Type.Record(Type.String(), Type.String()),
  contact: Type.Record(Type.String(), Type.String()),
  certificateFingerprint: Type.String(),
  linkedGroups: Type.Record(Type.String(), Type.Object({ groupId: Type.String(), title: Type.String() }), {
    description:
      "On the host: per workspace id, the group the guest linked to it, as the guest's invitation response named it.",
  }),
  created: EpochMs,
  modified: EpochMs,
});
