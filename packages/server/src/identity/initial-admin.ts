import type { AppContext } from '../http/context.ts';

export interface InitialAdminResult {
  created: boolean;
  /** Where a generated password was written, when one was. */
  passwordFile?: string;
}

// TODO(identity): create 'admin' with config.admin.password or a generated one written to <home>/initial-admin-password (0600).
export async function ensureInitialAdmin(
  _ctx: Pick<AppContext, 'db' | 'config'>,
): Promise<InitialAdminResult> {
  return { created: false };
}
