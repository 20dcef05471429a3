import type { Caller } from '../http/caller.ts';

/** Who is looking at content: a signed-in user (canonical username), an administrator, or anonymous. */
export interface Viewer {
  username: string | null;
  isAdmin: boolean;
}

export function viewerOf(caller: Caller | undefined): Viewer {
  return { username: caller?.username ?? null, isAdmin: caller?.role === 'org_admin' };
}
