import type { TestPortal } from '../../test/portal.ts';

/** For tests: a password that meets the policy. */
export const USER_PASSWORD = 'Us3r-password-long';

/** For tests: creates a built-in user through the administrator API and returns an admin token. */
export async function addUser(
  portal: TestPortal,
  username: string,
  role: 'org_admin' | 'org_publisher' | 'org_user' = 'org_user',
  extra: Record<string, string> = {},
): Promise<void> {
  const token = await portal.token();
  const r = await portal.call('/portaladmin/security/users/createUser', {
    username,
    password: USER_PASSWORD,
    email: `${username}@example.org`,
    firstname: 'Test',
    lastname: username,
    role,
    token,
    ...extra,
  });
  if (r.status !== 'success') throw new Error(`createUser ${username} failed: ${JSON.stringify(r)}`);
}
