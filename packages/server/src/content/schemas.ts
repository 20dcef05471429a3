/**
 * The answers of the content routes (items, folders, groups, sharing, search) as TypeBox
 * schemas: the routes serialize and check their answers with them, docs/openapi.json shows
 * them, and the web UI imports their Static types (type-only). Pure TypeBox: no Node import.
 */
import { type Static, Type } from '@sinclair/typebox';
import { AnyJson, EpochMs, Nullable, PageEnvelope, StringEnum, Success } from '../http/schemas.ts';

const Str = Type.String();
const Strings = Type.Array(Type.String());
const Never = Type.Array(Type.Unknown(), { maxItems: 0, description: 'Always empty.' });

export const ITEM_ACCESS = ['private', 'shared', 'org', 'public'] as const;
export const GROUP_ACCESS = ['private', 'org', 'public'] as const;
export const MEMBER_TYPES = ['owner', 'admin', 'member', 'none'] as const;

/** An item in the ArcGIS item JSON shape (content/items/<id>, search results, user content). */
export const ItemJson = Type.Object(
  {
    id: Str,
    owner: Str,
    orgId: Str,
    created: EpochMs,
    modified: EpochMs,
    guid: Type.Null(),
    name: Nullable(Type.String({ description: "A file item's file name; null for other items." })),
    title: Str,
    type: Str,
    typeKeywords: Strings,
    description: Str,
    tags: Strings,
    snippet: Str,
    thumbnail: Nullable(Type.String({ description: 'thumbnail/<file> below the item’s info resource.' })),
    documentation: Type.Null(),
    extent: Type.Array(Type.Array(Type.Number()), {
      description: '[[xmin, ymin], [xmax, ymax]], or [] when the item has no extent.',
    }),
    categories: Never,
    spatialReference: AnyJson,
    accessInformation: Str,
    licenseInfo: Str,
    culture: Str,
    properties: AnyJson,
    advancedSettings: Type.Null(),
    url: Nullable(Type.String()),
    proxyFilter: Type.Null(),
    access: StringEnum(ITEM_ACCESS),
    size: Type.Number(),
    subInfo: Type.Integer(),
    appCategories: Never,
    industries: Never,
    languages: Never,
    largeThumbnail: Type.Null(),
    banner: Type.Null(),
    screenshots: Never,
    listed: Type.Boolean(),
    ownerFolder: Nullable(Type.String()),
    protected: Type.Boolean(),
    commentsEnabled: Type.Boolean(),
    numComments: Type.Integer(),
    numRatings: Type.Integer(),
    avgRating: Type.Number(),
    numViews: Type.Integer(),
    contentOrigin: Str,
    lastViewed: Type.Number(),
    itemControl: Type.Optional(
      Type.Literal('admin', { description: 'Present when the caller owns or administers the item.' }),
    ),
  },
  { title: 'Item' },
);
export type ItemJson = Static<typeof ItemJson>;

/** A group in the ArcGIS group JSON shape, with the caller's membership when signed in. */
export const GroupJson = Type.Object(
  {
    id: Str,
    title: Str,
    isInvitationOnly: Type.Boolean(),
    owner: Str,
    description: Str,
    snippet: Str,
    tags: Strings,
    typeKeywords: Never,
    phone: Type.Null(),
    sortField: Str,
    sortOrder: Str,
    isViewOnly: Type.Boolean(),
    isOpenData: Type.Boolean(),
    featuredItemsId: Type.Null(),
    thumbnail: Type.Null(),
    created: EpochMs,
    modified: EpochMs,
    access: StringEnum(GROUP_ACCESS),
    capabilities: Never,
    isFav: Type.Boolean(),
    isReadOnly: Type.Boolean(),
    protected: Type.Boolean(),
    autoJoin: Type.Boolean(),
    notificationsEnabled: Type.Boolean(),
    provider: Type.Null(),
    providerGroupName: Type.Null(),
    leavingDisallowed: Type.Boolean(),
    hiddenMembers: Type.Boolean(),
    displaySettings: Type.Object({ itemTypes: Str }),
    orgId: Str,
    userMembership: Type.Optional(
      Type.Object({ username: Str, memberType: StringEnum(MEMBER_TYPES), applications: Type.Integer() }),
    ),
  },
  { title: 'Group' },
);
export type GroupJson = Static<typeof GroupJson>;

export const FolderJson = Type.Object(
  {
    username: Str,
    id: Str,
    title: Str,
    created: Type.Optional(EpochMs),
  },
  { title: 'Folder' },
);
export type FolderJson = Static<typeof FolderJson>;

/** content/users/<u>[/<folderId>]: one page of a folder's items and every folder. */
export const UserContentJson = Type.Object({
  username: Str,
  ...PageEnvelope,
  currentFolder: Nullable(FolderJson),
  items: Type.Array(ItemJson),
  folders: Type.Array(FolderJson),
});
export type UserContentJson = Static<typeof UserContentJson>;

/** sharing/rest/search and community/groups: one page of results. */
export function SearchAnswer<T extends typeof ItemJson | typeof GroupJson>(result: T) {
  return Type.Object({ query: Str, ...PageEnvelope, results: Type.Array(result) });
}
export const ItemSearchJson = SearchAnswer(ItemJson);
export type ItemSearchJson = Static<typeof ItemSearchJson>;
export const GroupSearchJson = SearchAnswer(GroupJson);
export type GroupSearchJson = Static<typeof GroupSearchJson>;

export const AddItemAnswer = Success({ id: Str, folder: Nullable(Type.String()) });
export const UpdateItemAnswer = Success({ id: Str });
export const DeleteItemAnswer = Success({ itemId: Str });
export const MoveItemAnswer = Success({ itemId: Str, owner: Str, folder: Nullable(Type.String()) });
export const FolderAnswer = Success({ folder: FolderJson });

/** An error of one item in a batch (shareItems, unshareItems). */
const BatchError = Type.Object({ code: Type.Integer(), message: Str, details: Strings });

export const ShareAnswer = Type.Object({
  notSharedWith: Type.Array(Type.String(), { description: 'Groups the item could not be shared with.' }),
  itemId: Str,
});
export const UnshareAnswer = Type.Object({
  notUnsharedFrom: Type.Array(Type.String(), { description: 'Groups the item could not leave.' }),
  itemId: Str,
});
export const ShareItemsAnswer = Type.Object({
  results: Type.Array(
    Type.Object({
      itemId: Str,
      success: Type.Boolean(),
      notSharedWith: Strings,
      error: Type.Optional(BatchError),
    }),
  ),
});
export const UnshareItemsAnswer = Type.Object({
  results: Type.Array(
    Type.Object({
      itemId: Str,
      success: Type.Boolean(),
      notUnsharedFrom: Strings,
      error: Type.Optional(BatchError),
    }),
  ),
});
export type UnshareItemsAnswer = Static<typeof UnshareItemsAnswer>;

/** content/items/<id>/groups: the groups an item is shared with, by the caller's relation to each. */
export const ItemGroupsJson = Type.Object({
  admin: Type.Array(GroupJson),
  member: Type.Array(GroupJson),
  other: Type.Array(GroupJson),
});
export type ItemGroupsJson = Static<typeof ItemGroupsJson>;

export const CreateGroupAnswer = Success({ group: GroupJson });
export const GroupIdAnswer = Success({ groupId: Str });
export const AddUsersAnswer = Type.Object({ notAdded: Strings });
export const RemoveUsersAnswer = Type.Object({ notRemoved: Strings });
export const GroupUsersJson = Type.Object({ owner: Str, admins: Strings, users: Strings });
export type GroupUsersJson = Static<typeof GroupUsersJson>;
