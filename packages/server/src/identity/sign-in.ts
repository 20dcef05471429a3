import { MeridianError } from '../errors/meridian-error.ts';
import type { AppContext } from '../http/context.ts';
import { AccountDisabled, AccountLocked, InvalidCredentials } from './errors.ts';
import { verifyDummyPassword, verifyPassword } from './password-hash.ts';
import { findUserByUsername, type UserRow } from './users-store.ts';

function lockedError(until: number, now: number): MeridianError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  return new MeridianError(
    AccountLocked,
    `The account is locked after too many failed sign-ins. It unlocks at ${new Date(until).toISOString()} (in ${minutes} minute${minutes === 1 ? '' : 's'}).`,
    { data: { lockedUntil: until } },
  );
}

/** Counts a failed sign-in; locks the account when the limit is reached. Returns the lock end, or 0. */
async function recordFailure(
  ctx: Pick<AppContext, 'db' | 'config'>,
  user: UserRow,
  now: number,
): Promise<number> {
  const { lockoutAttempts, lockoutMinutes } = ctx.config.identity;
  return ctx.db.kysely.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', user.id)
      .execute();
    const row = await trx
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', user.id)
      .executeTakeFirst();
    if (!row || Number(row.failed_logins) < lockoutAttempts) return 0;
    const until = now + lockoutMinutes * 60_000;
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: until })
      .where('id', '=', user.id)
      .execute();
    return until;
  });
}

/**
 * Built-in sign-in: checks a username and password, with lockout after
 * identity.lockoutAttempts failures in a row for identity.lockoutMinutes. The same time is
 * spent whether or not the user exists. Throws InvalidCredentials, AccountLocked or
 * AccountDisabled; returns the user on success (and records the sign-in).
 */
export async function signInWithPassword(
  ctx: Pick<AppContext, 'db' | 'config'>,
  username: string,
  password: string,
  now: number = Date.now(),
): Promise<UserRow> {
  const user = username ? await findUserByUsername(ctx.db.kysely, username) : undefined;
  if (!user?.password_hash || user.provider !== 'arcgis') {
    await verifyDummyPassword(password);
    throw new MeridianError(InvalidCredentials, 'Invalid username or password.');
  }
  if (Number(user.locked_until) > now) throw lockedError(Number(user.locked_until), now);
  if (!(await verifyPassword(password, user.password_hash))) {
    const until = await recordFailure(ctx, user, now);
    if (until) throw lockedError(until, now);
    throw new MeridianError(InvalidCredentials, 'Invalid username or password.');
  }
  if (Number(user.disabled) !== 0)
    throw new MeridianError(AccountDisabled, 'This account is disabled. Ask an administrator to enable it.');
  await ctx.db.kysely
    .updateTable('users')
    .set({ failed_logins: 0, locked_until: 0, last_login: now })
    .where('id', '=', user.id)
    .execute();
  return { ...user, failed_logins: 0, locked_until: 0, last_login: now };
}
