export type Access = 'private' | 'shared' | 'org' | 'public';
export type Role = 'org_admin' | 'org_publisher' | 'org_user';

export interface Session {
  username: string;
  csrfToken: string;
  expires: number;
}

export interface Item {
  id: string;
  owner: string;
  title: string;
  type: string;
  typeKeywords?: string[];
  tags?: string[];
  access?: Access | string;
  description?: string | null;
  snippet?: string | null;
  url?: string | null;
  created?: number;
  modified?: number;
  ownerFolder?: string | null;
  size?: number;
  /** The file name of a file item's data; null for other items. */
  name?: string | null;
  /** The thumbnail's path below the item's info resource (`thumbnail/<file>`), or null. */
  thumbnail?: string | null;
  /** 'admin' when the caller owns or administers the item. */
  itemControl?: string;
}

/** The groups an item is shared with, by the caller's relation to each. */
export interface ItemGroups {
  admin: GroupSummary[];
  member: GroupSummary[];
  other: GroupSummary[];
}

export interface Folder {
  id: string;
  title: string;
  username?: string;
  created?: number;
}

export interface UserContent {
  username?: string;
  items: Item[];
  folders: Folder[];
  total: number;
  nextStart: number;
  currentFolder?: Folder | null;
}

export interface GroupSummary {
  id: string;
  title: string;
  owner?: string;
  access?: string;
  isViewOnly?: boolean;
  isInvitationOnly?: boolean;
  userMembership?: { username?: string; memberType?: 'owner' | 'admin' | 'member' | 'none' | string };
  description?: string | null;
  snippet?: string | null;
  tags?: string[];
}

export interface SelfUser {
  username: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
  description?: string | null;
  provider?: string;
  email?: string;
  role?: Role | string;
  privileges?: string[];
  groups?: GroupSummary[];
  orgId?: string;
}

export interface GroupMembers {
  owner: string;
  admins: string[];
  users: string[];
}

export interface SearchResponse<T> {
  total: number;
  start: number;
  num: number;
  nextStart: number;
  results: T[];
}

export interface PortalUser {
  username: string;
  fullName?: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  role?: Role | string;
  disabled?: boolean;
  provider?: string;
  /** Locked after too many failed sign-ins (administrators see it). */
  locked?: boolean;
  /** When the lock ends (epoch ms), 0 when not locked. */
  lockedUntil?: number;
}

/** Who sees a new item right after it is added. */
export type DefaultItemAccess = 'private' | 'org' | 'public';

/** portals/self: the organisation's settings. */
export interface PortalSelf {
  id: string;
  name: string;
  description: string;
  maxTokenExpirationMinutes: number;
  defaultTokenExpirationMinutes: number;
  defaultItemAccess: DefaultItemAccess;
  portalHostname?: string;
}
