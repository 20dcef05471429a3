import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { AccountDisabled, BuiltInSignInDisabled, InvalidCredentials } from './errors.ts';
import { verifyDummyPassword, verifyPassword } from './password-hash.ts';
import { currentSignInPolicy, type SignInPolicySource } from './sign-in-policy.ts';
import { attemptSucceeded, beginAttempt, failedAttemptError, throttleLimits } from './sign-in-throttle.ts';
import { publishUserChanged } from './user-events.ts';
import { findUserByUsername, type UserRow } from './users-store.ts';

/**
 * Checks a built-in account's password, counted by the sign-in throttle first (an attempt
 * refused by it checks no password). A username that does not exist is counted, timed and
 * answered exactly like a wrong password. Answers the user when the password is right,
 * undefined when it is wrong; throws the lock error when this failure completed a lock.
 */
export async function checkPasswordAttempt(
  ctx: Pick<Kernel, 'db' | 'config'>,
  username: string,
  password: string,
  clientIp: string,
  now: number = Date.now(),
): Promise<UserRow | undefined> {
  const limits = throttleLimits(ctx.config);
  const ticket = await beginAttempt(ctx.db.kysely, limits, username, clientIp, now);
  const user = username ? await findUserByUsername(ctx.db.kysely, username) : undefined;
  const ok =
    user?.password_hash && user.provider === 'arcgis'
      ? await verifyPassword(password, user.password_hash)
      : await verifyDummyPassword(password);
  if (!ok || !user) {
    const locked = failedAttemptError(ticket, now);
    if (locked) throw locked;
    return undefined;
  }
  await attemptSucceeded(ctx.db.kysely, limits, ticket, now);
  return user;
}

/**
 * Built-in sign-in: a username and password from a client address, throttled (see
 * sign-in-throttle.ts). Throws InvalidCredentials, AccountLocked, SignInThrottled or
 * AccountDisabled; returns the user on success (and records the sign-in). While the
 * organisation has built-in sign-in turned off (canSignInArcGIS false) every attempt is
 * refused with BuiltInSignInDisabled before any password is checked or counted: this is the
 * one door of password sign-in (oauth2/signin, generateToken).
 */
export async function signInWithPassword(
  ctx: Pick<Kernel, 'db' | 'config' | 'bus'> & { signInPolicy?: SignInPolicySource },
  username: string,
  password: string,
  clientIp: string,
  now: number = Date.now(),
): Promise<UserRow> {
  if (!(await currentSignInPolicy(ctx)).canSignInArcGIS)
    throw new MeridianError(
      BuiltInSignInDisabled,
      "Signing in with a username and password is turned off for this organisation (canSignInArcGIS is false): sign in through the organisation's SAML login. Administrators locked out: run `meridian portal allow-builtin-sign-in` on the server.",
    );
  const user = await checkPasswordAttempt(ctx, username, password, clientIp, now);
  if (!user) throw new MeridianError(InvalidCredentials, 'Invalid username or password.');
  if (Number(user.disabled) !== 0)
    throw new MeridianError(AccountDisabled, 'This account is disabled. Ask an administrator to enable it.');
  await ctx.db.kysely.updateTable('users').set({ last_login: now }).where('id', '=', user.id).execute();
  // Cached rows (community/self's lastLogin) on every node see the sign-in.
  await publishUserChanged(ctx, user.id);
  return { ...user, last_login: now };
}
