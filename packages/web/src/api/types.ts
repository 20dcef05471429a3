/**
 * The API's answers, as the server's route schemas declare them (type-only imports: no server
 * code reaches the bundle). What the UI adds of its own is said where it is added.
 */
import type {
  FolderJson,
  GroupJson,
  GroupUsersJson,
  ITEM_ACCESS,
  ItemGroupsJson,
  ItemJson,
  UserContentJson,
} from '@meridian/server/content/schemas.ts';
import type { PageEnvelopeJson } from '@meridian/server/http/schemas.ts';
import type {
  FullUserJson,
  PublicUserJson,
  ROLE_NAMES,
  SelfJson,
} from '@meridian/server/identity/schemas.ts';
import type { ITEM_ACCESS_DEFAULTS, PortalSelfJson } from '@meridian/server/portal/schemas.ts';
import type { SessionJson } from '@meridian/server/tokens/schemas.ts';

export type Access = (typeof ITEM_ACCESS)[number];
export type Role = (typeof ROLE_NAMES)[number];

export type Session = SessionJson;

/** An item as content/items/<id>, search and user content answer it. */
export type Item = ItemJson;

/** The groups an item is shared with, by the caller's relation to each. */
export type ItemGroups = ItemGroupsJson;

export type Folder = FolderJson;

export type UserContent = UserContentJson;

export type GroupSummary = GroupJson;

/** community/self; its groups are in the community/groups shape. */
export type SelfUser = Omit<SelfJson, 'groups'> & { groups: GroupJson[] };

export type GroupMembers = GroupUsersJson;

export type SearchResponse<T> = PageEnvelopeJson & { results: T[] };

/**
 * A user of a listing: administrators get the full view (email, state, lock); other members the
 * reduced one, so the full view's own fields may be absent.
 */
export type PortalUser = PublicUserJson & Partial<Omit<FullUserJson, keyof PublicUserJson>>;

/** Who sees a new item right after it is added. */
export type DefaultItemAccess = (typeof ITEM_ACCESS_DEFAULTS)[number];

/** portals/self: the organisation's settings the UI shows and changes. */
export type PortalSelf = Pick<
  PortalSelfJson,
  | 'id'
  | 'name'
  | 'description'
  | 'maxTokenExpirationMinutes'
  | 'defaultTokenExpirationMinutes'
  | 'defaultItemAccess'
> &
  Partial<Pick<PortalSelfJson, 'portalHostname' | 'defaultBasemap'>>;
