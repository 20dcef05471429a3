import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { PasswordTooWeak } from './errors.ts';

/** Built-in accounts: at least 8 characters, with letters and digits; at most 256. */
export function checkPasswordPolicy(password: string, username?: string): void {
  const problems: string[] = [];
  if (password.length < 8) problems.push('at least 8 characters');
  if (!/\p{L}/u.test(password)) problems.push('at least one letter');
  if (!/\p{Nd}/u.test(password)) problems.push('at least one digit');
  if (password.length > 256) problems.push('at most 256 characters');
  if (username && password.toLowerCase() === username.toLowerCase()) problems.push('not the username');
  if (problems.length)
    throw new MeridianError(
      PasswordTooWeak,
      `The password does not meet the password policy: it must have ${problems.join(', ')}.`,
    );
}
