import { request } from './client.ts';
import { ApiError } from './errors.ts';
import type { PortalUser, Role, SearchResponse } from './types.ts';

/**
 * Lists the organisation's users. Tries `portals/self/users/search` first and falls back to
 * `community/users` when the first route does not exist on this portal.
 */
export async function listUsers(): Promise<PortalUser[]> {
  try {
    const answer = await request<Partial<SearchResponse<PortalUser>>>(
      '/sharing/rest/portals/self/users/search',
      {
        query: { q: '', num: 100, start: 1 },
      },
    );
    return answer.results ?? [];
  } catch (err) {
    if (!(err instanceof ApiError) || (err.code !== 404 && err.code !== 400)) throw err;
    const answer = await request<Partial<SearchResponse<PortalUser>>>('/sharing/rest/community/users', {
      query: { q: '*', num: 100, start: 1 },
    });
    return answer.results ?? [];
  }
}

export function updateUserRole(username: string, role: Role): Promise<{ status: string }> {
  return request('/portaladmin/security/users/updateUserRole', { method: 'POST', form: { username, role } });
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
  return request('/portaladmin/security/users/createUser', { method: 'POST', form: { ...user } });
}
