import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Kernel } from '../kernel/kernel.ts';
import { initialPasswordFile, retireInitialPassword } from './initial-password-file.ts';
import { createUser, generatePassword } from './users-service.ts';
import { countUsers, findUserByUsername } from './users-store.ts';

export interface InitialAdminResult {
  created: boolean;
  /** Where a generated password was written, when one was. */
  passwordFile?: string;
}

export const INITIAL_ADMIN = 'admin';

/**
 * The generated password goes to a file created exclusively (flag 'wx', mode 0600), before the
 * account exists, so it is never lost: if the file is already there (a start that stopped
 * half-way), the password in it is used.
 */
function generatedPassword(file: string): { password: string; wrote: boolean } {
  const password = generatePassword();
  try {
    writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    return { password, wrote: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return { password: readFileSync(file, 'utf8').trim(), wrote: false };
  }
}

/**
 * When the organisation has no user yet, creates 'admin' (org_admin) with admin.password, or
 * with a generated password written once to <home>/initial-admin-password. Safe when several
 * nodes start at once on one database: the unique username decides, the others do nothing.
 */
export async function ensureInitialAdmin(
  ctx: Pick<Kernel, 'db' | 'config'> & Partial<Pick<Kernel, 'bus'>>,
): Promise<InitialAdminResult> {
  if ((await countUsers(ctx.db.kysely)) > 0) {
    // The password was changed since (maybe on another node, or with the CLI): the file goes.
    const admin = await findUserByUsername(ctx.db.kysely, INITIAL_ADMIN);
    await retireInitialPassword(ctx.config.home, admin?.password_hash ?? null, false);
    return { created: false };
  }
  const configured = ctx.config.admin.password;
  const passwordFile = configured ? undefined : initialPasswordFile(ctx.config.home);
  const generated = configured ? undefined : generatedPassword(passwordFile!);
  const password = configured || generated!.password;
  const bus = ctx.bus ?? { publish: async () => {} };
  try {
    await createUser(
      { db: ctx.db, bus: bus as Kernel['bus'] },
      { username: INITIAL_ADMIN, password, role: 'org_admin', fullName: 'Administrator' },
      { initialAdmin: true },
    );
  } catch (err) {
    if ((await countUsers(ctx.db.kysely)) === 0) throw err;
    // Another node created the first user at the same moment: its password is the one that counts.
    if (generated?.wrote) rmSync(passwordFile!, { force: true });
    return { created: false };
  }
  return { created: true, ...(passwordFile ? { passwordFile } : {}) };
}
