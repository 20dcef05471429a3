import { request } from './client.ts';
import type { GroupMembers, GroupSummary, SelfUser } from './types.ts';

const enc = encodeURIComponent;

export function getSelf(): Promise<SelfUser> {
  return request<SelfUser>('/sharing/rest/community/self');
}

export interface NewGroup {
  title: string;
  tags: string;
  description: string;
  access: 'private' | 'org' | 'public';
}

export function createGroup(group: NewGroup): Promise<{ success: boolean; group: GroupSummary }> {
  return request('/sharing/rest/community/createGroup', { method: 'POST', form: { ...group } });
}

export async function getGroupMembers(id: string): Promise<GroupMembers> {
  const answer = await request<Partial<GroupMembers>>(`/sharing/rest/community/groups/${enc(id)}/users`);
  return { owner: answer.owner ?? '', admins: answer.admins ?? [], users: answer.users ?? [] };
}

export function addUsersToGroup(id: string, usernames: string[]): Promise<{ notAdded?: string[] }> {
  return request(`/sharing/rest/community/groups/${enc(id)}/addUsers`, {
    method: 'POST',
    form: { users: usernames.join(',') },
  });
}
