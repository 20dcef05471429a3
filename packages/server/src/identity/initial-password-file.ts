import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { verifyPassword } from './password-hash.ts';

/** Where the generated password of the initial administrator is written once. */
export function initialPasswordFile(home: string): string {
  return join(home, 'initial-admin-password');
}

/**
 * Removes the initial password file when the password in it is no longer `passwordHash`'s —
 * or, with `whenMatching`, when it is (called with the hash a password change replaces). A
 * missing file is fine. Answers whether a file was removed.
 */
export async function retireInitialPassword(
  home: string,
  passwordHash: string | null,
  whenMatching: boolean,
): Promise<boolean> {
  const file = initialPasswordFile(home);
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  const matches = passwordHash !== null && (await verifyPassword(text, passwordHash));
  if (matches !== whenMatching) return false;
  await rm(file, { force: true });
  return true;
}
