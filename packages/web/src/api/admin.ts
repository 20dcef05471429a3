import { request } from './client.ts';
import { ApiError } from './errors.ts';
import type { PortalUser, Role, SearchResponse } from './types.ts';

const USERS = '/portaladmin/security/users';
const enc = encodeURIComponent;

/** A page of the organisation's users (1-based `start`; `nextStart` -1 on the last page). */
export interface UserPage {
  users: PortalUser[];
  total: number;
  start: number;
  num: number;
  nextStart: number;
}

function userPage(answer: Partial<SearchResponse<PortalUser>>, start: number, num: number): UserPage {
  const users = answer.results ?? [];
  return {
    users,
    total: answer.total ?? users.length,
    start: answer.start ?? start,
    num: answer.num ?? num,
    nextStart: answer.nextStart ?? -1,
  };
}

/**
 * A page of the organisation's users. Tries `portals/self/users/search` first and falls back to
 * `community/users` when the first route does not exist on this portal.
 */
export async function listUsers(start = 1, num = 100): Promise<UserPage> {
  try {
    const answer = await request<Partial<SearchResponse<PortalUser>>>(
      '/sharing/rest/portals/self/users/search',
      { query: { q: '', num, start } },
    );
    return userPage(answer, start, num);
  } catch (err) {
    if (!(err instanceof ApiError) || (err.code !== 404 && err.code !== 400)) throw err;
    const answer = await request<Partial<SearchResponse<PortalUser>>>('/sharing/rest/community/users', {
      query: { q: '*', num, start },
    });
    return userPage(answer, start, num);
  }
}

export function updateUserRole(username: string, role: Role): Promise<{ status: string }> {
  return request(`${USERS}/updateUserRole`, { method: 'POST', form: { username, role } });
}

export interface NewUser {
  username: string;
  password: string;
  firstname: string;
  lastname: string;
  email: string;
  role: Role;
}

export function createUser(user: NewUser): Promise<{ status: string }> {
  return request(`${USERS}/createUser`, { method: 'POST', form: { ...user } });
}

function userAction(username: string, action: string, form: Record<string, string> = {}) {
  return request<{ status: string }>(`${USERS}/${enc(username)}/${action}`, { method: 'POST', form });
}

export const disableUser = (username: string) => userAction(username, 'disable');
export const enableUser = (username: string) => userAction(username, 'enable');
export const deleteUser = (username: string) => userAction(username, 'delete');
/** Ends a lockout after too many failed sign-ins. */
export const unlockUser = (username: string) => userAction(username, 'unlock');
/** Sets a new password; the user's tokens and sessions stop working. */
export const resetUserPassword = (username: string, password: string) =>
  userAction(username, 'update', { password });
