import { isIPv4, isIPv6 } from 'node:net';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../kernel/config/load.ts';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { AccountLocked, SignInThrottled } from './errors.ts';
import type { SignInThrottleTable } from './tables.ts';
import { usernameKey } from './users-store.ts';

/**
 * Sign-in throttling. Every attempt is counted *before* its password is checked, in one
 * atomic statement per counter, so that a burst of parallel guesses gets no more checks than
 * the limit. Three counters:
 *
 * - pair: one account from one client address. `lockoutAttempts` failures in a row lock that
 *   account for that address only, so an attacker elsewhere cannot lock its owner out.
 * - addr: one client address, whatever account it tries (`addressAttempts`): one address
 *   cannot spray guesses over many accounts.
 * - acct: one account from every address (`accountAttempts`): a guess from many addresses
 *   is bounded too; addresses the account signed in from before are exempt, so even that
 *   lock does not shut its owner out.
 *
 * A correct password gives its own attempt back (and, for pair, forgives the failures before
 * it), unless the limit was already reached meanwhile: a correct password inside a burst does
 * not clear a lock. Unknown usernames are counted exactly like known ones.
 */
export interface ThrottleLimits {
  pair: number;
  addr: number;
  acct: number;
  windowMs: number;
  lockMs: number;
}

export function throttleLimits(config: Pick<Config, 'identity'>): ThrottleLimits {
  const i = config.identity;
  return {
    pair: i.lockoutAttempts,
    addr: i.addressAttempts,
    acct: i.accountAttempts,
    windowMs: i.lockoutMinutes * 60_000,
    lockMs: i.lockoutMinutes * 60_000,
  };
}

/** Addresses an account signed in from within this time are exempt from its 'acct' lock. */
const KNOWN_ADDRESS_MS = 90 * 24 * 3_600_000;

type Scope = SignInThrottleTable['scope'];
type Key = { scope: Scope; username: string; address: string };

/** What beginAttempt() reserved, for attemptSucceeded() to give back. */
export interface AttemptTicket {
  keys: Key[];
  username: string;
  address: string;
  /** A lock this attempt's count reached: it takes effect if the password is wrong. */
  lock?: { scope: Scope; until: number };
}

function expandIPv6(addr: string): string[] {
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((x) => x.padStart(4, '0'));
}

/**
 * The client address as the throttle counts it: IPv4 as is (also when IPv4-mapped), IPv6 by
 * its /64 prefix, since one host commonly holds a whole /64.
 */
export function clientKey(ip: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (v4 && isIPv4(v4)) return v4;
  if (isIPv6(ip) && !ip.includes('.')) return `${expandIPv6(ip.split('%')[0]!).slice(0, 4).join(':')}::/64`;
  return ip.slice(0, 64);
}

function limitOf(limits: ThrottleLimits, scope: Scope): number {
  return limits[scope];
}

/** Counts one attempt on a key; answers the count after it and the lock end (0: none). */
async function reserve(
  db: Kysely<Database>,
  key: Key,
  limit: number,
  limits: ThrottleLimits,
  now: number,
): Promise<{ attempts: number; lockedUntil: number }> {
  const lockAt = now + limits.lockMs;
  const firstLock = limit <= 1 ? lockAt : 0;
  const expired = sql`((sign_in_throttle.locked_until > 0 AND sign_in_throttle.locked_until <= ${now})
    OR (sign_in_throttle.locked_until = 0 AND sign_in_throttle.window_start + ${limits.windowMs} <= ${now}))`;
  const r = await sql<{ attempts: number | string; locked_until: number | string }>`
    INSERT INTO sign_in_throttle (scope, username, address, attempts, window_start, locked_until)
    VALUES (${key.scope}, ${key.username}, ${key.address}, 1, ${now}, CAST(${firstLock} AS BIGINT))
    ON CONFLICT (scope, username, address) DO UPDATE SET
      attempts = CASE WHEN ${expired} THEN 1 ELSE sign_in_throttle.attempts + 1 END,
      window_start = CASE WHEN ${expired} THEN CAST(${now} AS BIGINT) ELSE sign_in_throttle.window_start END,
      locked_until = CASE
        WHEN ${expired} THEN CAST(${firstLock} AS BIGINT)
        WHEN sign_in_throttle.locked_until > 0 THEN sign_in_throttle.locked_until
        WHEN sign_in_throttle.attempts + 1 >= ${limit} THEN CAST(${lockAt} AS BIGINT)
        ELSE CAST(0 AS BIGINT) END
    RETURNING attempts, locked_until`.execute(db);
  const row = r.rows[0]!;
  return { attempts: Number(row.attempts), lockedUntil: Number(row.locked_until) };
}

/** Gives one attempt back; `forgive` (pair) also clears the failures before it. */
async function release(db: Kysely<Database>, key: Key, limit: number, forgive: boolean): Promise<void> {
  const under = sql`sign_in_throttle.attempts - 1 < ${limit}`;
  await sql`
    UPDATE sign_in_throttle SET
      attempts = CASE WHEN ${forgive ? under : sql`1 = 0`} THEN 0
                      WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,
      locked_until = CASE WHEN ${under} THEN CAST(0 AS BIGINT) ELSE locked_until END
    WHERE scope = ${key.scope} AND username = ${key.username} AND address = ${key.address}`.execute(db);
}

function lockedError(scope: Scope, until: number, now: number): MeridianError {
  const minutes = Math.max(1, Math.ceil((until - now) / 60_000));
  const when = `${new Date(until).toISOString()} (in ${minutes} minute${minutes === 1 ? '' : 's'})`;
  if (scope === 'addr')
    return new MeridianError(
      SignInThrottled,
      `Too many failed sign-ins from your address. Try again after ${when}.`,
      { data: { lockedUntil: until } },
    );
  return new MeridianError(
    AccountLocked,
    `The account is locked after too many failed sign-ins. It unlocks at ${when}.`,
    { data: { lockedUntil: until } },
  );
}

async function isKnownAddress(db: Kysely<Database>, username: string, address: string, now: number) {
  const row = await db
    .selectFrom('sign_in_known_addresses')
    .select('last_success')
    .where('username', '=', username)
    .where('address', '=', address)
    .executeTakeFirst();
  return row !== undefined && now - Number(row.last_success) < KNOWN_ADDRESS_MS;
}

let attemptsSincePrune = 0;

/** Drops counters whose window has passed and whose lock (if any) has ended. */
async function prune(db: Kysely<Database>, limits: ThrottleLimits, now: number): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('locked_until', '<=', now)
    .where('window_start', '<=', now - limits.windowMs)
    .execute();
}

/**
 * Counts a sign-in attempt of `username` from `ip` before its password is checked. Throws
 * AccountLocked or SignInThrottled (no password is checked then); otherwise answers the
 * ticket to pass to attemptSucceeded() if the password turns out right.
 */
export async function beginAttempt(
  db: Kysely<Database>,
  limits: ThrottleLimits,
  username: string,
  ip: string,
  now = Date.now(),
): Promise<AttemptTicket> {
  if (++attemptsSincePrune >= 256) {
    attemptsSincePrune = 0;
    await prune(db, limits, now);
  }
  const user = usernameKey(username).slice(0, 128);
  const address = clientKey(ip);
  const keys: Key[] = [
    { scope: 'addr', username: '', address },
    { scope: 'pair', username: user, address },
  ];
  if (!(await isKnownAddress(db, user, address, now)))
    keys.push({ scope: 'acct', username: user, address: '' });
  const ticket: AttemptTicket = { keys: [], username: user, address };
  for (const key of keys) {
    const limit = limitOf(limits, key.scope);
    const r = await reserve(db, key, limit, limits, now);
    if (r.attempts > limit) throw lockedError(key.scope, r.lockedUntil || now + limits.lockMs, now);
    ticket.keys.push(key);
    if (r.attempts === limit && !ticket.lock) ticket.lock = { scope: key.scope, until: r.lockedUntil };
  }
  return ticket;
}

/** The error for a wrong password: the lock it completed, if it completed one. */
export function failedAttemptError(ticket: AttemptTicket, now = Date.now()): MeridianError | undefined {
  return ticket.lock ? lockedError(ticket.lock.scope, ticket.lock.until, now) : undefined;
}

/** The password was right: the attempt is given back, and the address becomes known. */
export async function attemptSucceeded(
  db: Kysely<Database>,
  limits: ThrottleLimits,
  ticket: AttemptTicket,
  now = Date.now(),
): Promise<void> {
  for (const key of ticket.keys) await release(db, key, limitOf(limits, key.scope), key.scope === 'pair');
  await db
    .insertInto('sign_in_known_addresses')
    .values({ username: ticket.username, address: ticket.address, last_success: now })
    .onConflict((oc) => oc.columns(['username', 'address']).doUpdateSet({ last_success: now }))
    .execute();
}

/** Clears every lock and count of an account (an administrator's unlock, re-enabling). */
export async function unlockAccount(db: Kysely<Database>, username: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('username', '=', usernameKey(username)).execute();
}

/** When each of these accounts is locked until (for some address or all), 0 when it is not. */
export async function accountLocks(
  db: Kysely<Database>,
  usernames: string[],
  now = Date.now(),
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!usernames.length) return out;
  const rows = await db
    .selectFrom('sign_in_throttle')
    .select(['username', 'locked_until'])
    .where('username', 'in', usernames.map(usernameKey))
    .where('locked_until', '>', now)
    .execute();
  for (const r of rows) out.set(r.username, Math.max(out.get(r.username) ?? 0, Number(r.locked_until)));
  return out;
}
