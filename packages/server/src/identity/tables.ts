export type Role = 'org_admin' | 'org_publisher' | 'org_user';

export interface UsersTable {
  id: string;
  username: string;
  username_lower: string;
  first_name: string;
  last_name: string;
  full_name: string;
  email: string;
  description: string;
  role: Role;
  provider: string;
  idp_username: string | null;
  disabled: number;
  password_hash: string | null;
  /** Raised to revoke every token the user holds (sign-out, password, role, disable). */
  token_epoch: number;
  failed_logins: number;
  locked_until: number;
  last_login: number;
  created: number;
  modified: number;
}
