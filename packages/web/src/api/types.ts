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
}

export interface GroupSummary {
  id: string;
  title: string;
  owner?: string;
  access?: string;
  description?: string | null;
  snippet?: string | null;
  tags?: string[];
}

export interface SelfUser {
  username: string;
  fullName?: string;
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
}
