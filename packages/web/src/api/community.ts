import { request } from './client.ts';
import type { GroupMembers, GroupSummary, SelfUser } from './types.ts';

const enc = encodeURIComponent;
const COMMUNITY = '/sharing/rest/community';

export function getSelf(): Promise<SelfUser> {
  return request<SelfUser>(`${COMMUNITY}/self`);
}

export interface ProfileChanges {
  firstname: string;
  lastname: string;
  fullname: string;
  email: string;
  description: string;
}

/** The signed-in user's own name, email and description. */
export function updateProfile(username: string, changes: ProfileChanges): Promise<{ success: boolean }> {
  return request(`${COMMUNITY}/users/${enc(username)}/update`, { method: 'POST', form: { ...changes } });
}

/** The user's own password; revokes every token of the user, this web session included. */
export function changeOwnPassword(
  username: string,
  oldPassword: string,
  password: string,
): Promise<{ success: boolean }> {
  return request(`${COMMUNITY}/users/${enc(username)}/update`, {
    method: 'POST',
    form: { oldPassword, password },
    // A wrong current password is an error to show, not a lost session.
    authRedirect: false,
  });
}

export interface NewGroup {
  title: string;
  tags: string;
  description: string;
  access: 'private' | 'org' | 'public';
}

export function createGroup(group: NewGroup): Promise<{ success: boolean; group: GroupSummary }> {
  return request(`${COMMUNITY}/createGroup`, { method: 'POST', form: { ...group } });
}

export function getGroup(id: string): Promise<GroupSummary> {
  return request<GroupSummary>(`${COMMUNITY}/groups/${enc(id)}`);
}

export interface GroupChanges extends NewGroup {
  snippet: string;
}

/** Every field is sent, so a field emptied in the form is cleared. */
export function updateGroup(id: string, changes: GroupChanges): Promise<{ success: boolean }> {
  return request(`${COMMUNITY}/groups/${enc(id)}/update`, {
    method: 'POST',
    form: { ...changes, clearEmptyFields: true },
  });
}

export function deleteGroup(id: string): Promise<{ success: boolean }> {
  return request(`${COMMUNITY}/groups/${enc(id)}/delete`, { method: 'POST', form: {} });
}

export async function getGroupMembers(id: string): Promise<GroupMembers> {
  const answer = await request<Partial<GroupMembers>>(`${COMMUNITY}/groups/${enc(id)}/users`);
  return { owner: answer.owner ?? '', admins: answer.admins ?? [], users: answer.users ?? [] };
}

export function addUsersToGroup(id: string, usernames: string[]): Promise<{ notAdded?: string[] }> {
  return request(`${COMMUNITY}/groups/${enc(id)}/addUsers`, {
    method: 'POST',
    form: { users: usernames.join(',') },
  });
}

export function removeUsersFromGroup(id: string, usernames: string[]): Promise<{ notRemoved?: string[] }> {
  return request(`${COMMUNITY}/groups/${enc(id)}/removeUsers`, {
    method: 'POST',
    form: { users: usernames.join(',') },
  });
}

/** The organization's groups an administrator can link (community/groups, by title; every page). */
export async function listOrgGroups(): Promise<GroupSummary[]> {
  const all: GroupSummary[] = [];
  for (let start = 1; start > 0; ) {
    const a = await request<{ results?: GroupSummary[]; nextStart?: number }>(`${COMMUNITY}/groups`, {
      query: { q: '', num: 100, start, sortField: 'title' },
    });
    all.push(...(a.results ?? []));
    const next = a.nextStart ?? -1;
    start = next > start ? next : -1;
  }
  return all;
}
