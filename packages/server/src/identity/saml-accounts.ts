/**
 * SAML (enterprise) accounts: found by the identity provider's entity ID and the NameID it
 * asserts, never by username, so that an assertion can never take over a built-in account
 * (or another IdP's account) of the same name. They have no password.
 *
 * - samlAccount(): the ACS's provisioning step (Automatic / Invitation sign-up, profile update).
 * - addSamlAccounts(): administrators pre-register accounts (the API's createUser with
 *   provider=enterprise, `meridian users add --idp … --name-id …` and its CSV form), all or
 *   nothing.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../kernel/db/schema.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import {
  AccountDisabled,
  AccountNotInvited,
  FieldInvalid,
  SamlAccountExists,
  UsernameTaken,
} from './errors.ts';
import { parseRole } from './roles.ts';
import type { Role } from './tables.ts';
import { USER_CHANGED } from './topics.ts';
import { publishUserChanged } from './user-events.ts';
import { checkProfile, checkRole, isValidEmail } from './user-fields.ts';
import { checkUsername } from './username-rules.ts';
import type { IdentityCtx } from './users-service.ts';
import {
  findSamlAccount,
  findUnboundSamlAccount,
  isUniqueViolation,
  type UserRow,
  usernameKey,
} from './users-store.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** What the ACS knows after validating a response, and what the SAML login says to do. */
export interface SamlSignIn {
  /** The entity ID of the identity provider whose signed assertion this is. */
  idpEntityId: string;
  /** The NameID of the assertion's subject (leading and trailing white space is ignored). */
  nameId: string;
  /** Attributes of the assertion, when it has them (givenName, surname, email). */
  givenName?: string;
  surname?: string;
  email?: string;
  /** The login's signUpMode: Automatic creates a missing account, Invitation refuses the person. */
  signUpMode: 'Automatic' | 'Invitation';
  /** The login's roleId, the role of an account created here (see samlRoleOf); default org_user. */
  role?: string;
  /** The login's updateProfileAtSignin: given name, surname and email of an existing account follow the assertion. */
  updateProfile: boolean;
  /**
   * True for a login of one identity provider: an enterprise account pre-registered with this
   * NameID but without an IdP (ArcGIS clients send only idpUsername) is bound to this IdP at
   * its first sign-in. Leave false for a federation, where a bare NameID does not say which
   * institution vouches for it.
   */
  claimUnbound?: boolean;
}

/**
 * The role of a SAML login's roleId. Meridian has three roles: org_admin, org_publisher,
 * org_user (and ArcGIS's older account_admin, account_publisher, account_user names for
 * them); empty means org_user, as ArcGIS gives new SAML accounts the User role. ArcGIS's
 * custom role IDs (Viewer iAAAAAAAAAAAAAAA, Data Editor iBBBBBBBBBBBBBBB, …) have no
 * equivalent and are refused rather than mapped to a role with more privileges.
 */
export function samlRoleOf(roleId: string | undefined): Role {
  if (!roleId?.trim()) return 'org_user';
  const role = parseRole(roleId);
  if (!role)
    throw new MeridianError(
      FieldInvalid,
      `The role '${roleId.slice(0, 64)}' has no Meridian equivalent: use org_admin, org_publisher or org_user.`,
    );
  return role;
}

const USERNAME_CHARS = /[^A-Za-z0-9._@-]+/g;

function sanitized(s: string): string {
  return s.replace(USERNAME_CHARS, '_').replace(/_+/g, '_').replace(/^_|_$/g, '');
}

/**
 * The username a new SAML account starts from, ArcGIS Enterprise style: the NameID itself
 * when it is a valid username (6 to 128 of letters, digits, . _ @ -); otherwise the email
 * address when that is; otherwise the NameID with every run of other characters replaced by
 * '_' (cut to 120, padded with '_saml' when shorter than 6). uniqueUsername() then appends
 * _2, _3, … when the name is taken.
 */
export function usernameBase(nameId: string, email?: string): string {
  for (const c of [nameId.trim(), email?.trim() ?? '']) if (/^[A-Za-z0-9._@-]{6,128}$/.test(c)) return c;
  let base = sanitized(nameId).slice(0, 120);
  if (base.length < 6) base = `${base || 'user'}_saml`;
  return base;
}

/** The first of base, base_2, base_3, … that no user (nor `reserved`, lower case) has. */
export async function uniqueUsername(
  q: Q,
  base: string,
  reserved: ReadonlySet<string> = new Set(),
): Promise<string> {
  for (let from = 1; from < 200; from += 20) {
    const candidates: string[] = [];
    for (let n = from; n < from + 20; n++) {
      const suffix = n === 1 ? '' : `_${n}`;
      candidates.push(`${base.slice(0, 128 - suffix.length)}${suffix}`);
    }
    const taken = new Set(
      (
        await q
          .selectFrom('users')
          .select('username_lower')
          .where(
            'username_lower',
            'in',
            candidates.map((c) => usernameKey(c)),
          )
          .execute()
      ).map((r) => r.username_lower),
    );
    const free = candidates.find((c) => !taken.has(usernameKey(c)) && !reserved.has(usernameKey(c)));
    if (free) return free;
  }
  return `${base.slice(0, 111)}_${randomBytes(8).toString('hex')}`;
}

/** An attribute from an assertion: trimmed and cut to `max`; empty is absent. */
function attribute(value: string | undefined, max: number): string | undefined {
  const v = value?.trim().slice(0, max);
  return v ? v : undefined;
}

function checkIdentity(
  idpEntityId: string | undefined,
  nameId: string,
): { idp: string | null; nameId: string } {
  const idp = idpEntityId?.trim() || null;
  const id = nameId.trim();
  if (!id) throw new MeridianError(FieldInvalid, 'The NameID (idpUsername) of a SAML account is missing.');
  if (id.length > 512)
    throw new MeridianError(FieldInvalid, 'The NameID (idpUsername) is too long: at most 512 characters.');
  if (idp && idp.length > 1024)
    throw new MeridianError(
      FieldInvalid,
      'The identity provider entity ID is too long: at most 1024 characters.',
    );
  return { idp, nameId: id };
}

function samlRow(
  fields: {
    username: string;
    role: Role;
    idp: string | null;
    nameId: string;
    firstName?: string;
    lastName?: string;
    fullName?: string;
    email?: string;
    description?: string;
  },
  now: number,
): UserRow {
  const fullName =
    fields.fullName || [fields.firstName, fields.lastName].filter(Boolean).join(' ') || fields.username;
  return {
    id: randomBytes(16).toString('hex'),
    username: fields.username,
    username_lower: usernameKey(fields.username),
    first_name: fields.firstName ?? '',
    last_name: fields.lastName ?? '',
    full_name: fullName,
    email: fields.email ?? '',
    description: fields.description ?? '',
    role: fields.role,
    provider: 'enterprise',
    idp_username: fields.nameId,
    idp_entity_id: fields.idp,
    disabled: 0,
    password_hash: null,
    token_epoch: 0,
    last_login: -1,
    created: now,
    modified: now,
  };
}

function notInvited(): MeridianError {
  return new MeridianError(
    AccountNotInvited,
    'You have no account in this organisation, and its SAML login admits only people an administrator has added. Ask an administrator of the organisation to add your account.',
  );
}

/** Binds an unbound pre-registered account to the IdP; false when someone else bound it first. */
async function claim(ctx: IdentityCtx, user: UserRow, idp: string): Promise<boolean> {
  try {
    const r = await ctx.db.kysely
      .updateTable('users')
      .set({ idp_entity_id: idp })
      .where('id', '=', user.id)
      .where('idp_entity_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  } catch (err) {
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

/**
 * The provisioning step of a SAML sign-in: the account of (idpEntityId, nameId), created in
 * Automatic mode, refused in Invitation mode (saml.account_not_invited, 403) and when
 * disabled (identity.account_disabled); an existing account's given name, surname and email
 * follow the assertion when updateProfile is on (values that are absent or not valid are
 * left as they were). Records the sign-in (lastLogin) and announces the change.
 */
export async function samlAccount(ctx: IdentityCtx, input: SamlSignIn, now = Date.now()): Promise<UserRow> {
  const { idp, nameId } = checkIdentity(input.idpEntityId, input.nameId);
  if (!idp) throw new MeridianError(FieldInvalid, 'The identity provider entity ID is missing.');
  const givenName = attribute(input.givenName, 256);
  const surname = attribute(input.surname, 256);
  const email = input.email && isValidEmail(input.email.trim()) ? input.email.trim() : undefined;

  for (let attempt = 0; ; attempt++) {
    let user = await findSamlAccount(ctx.db.kysely, idp, nameId);
    if (!user && input.claimUnbound) {
      const unbound = await findUnboundSamlAccount(ctx.db.kysely, nameId);
      if (unbound && (await claim(ctx, unbound, idp))) user = { ...unbound, idp_entity_id: idp };
      else if (unbound && attempt < 3) continue;
    }
    if (user) {
      if (Number(user.disabled) !== 0)
        throw new MeridianError(
          AccountDisabled,
          'This account is disabled. Ask an administrator to enable it.',
        );
      const set: Partial<UserRow> = { last_login: now };
      if (input.updateProfile) {
        if (givenName !== undefined) set.first_name = givenName;
        if (surname !== undefined) set.last_name = surname;
        if (email !== undefined) set.email = email;
        if (givenName !== undefined || surname !== undefined) {
          const full = [set.first_name ?? user.first_name, set.last_name ?? user.last_name]
            .filter(Boolean)
            .join(' ');
          set.full_name = full || user.username;
        }
        const changed = (['first_name', 'last_name', 'email'] as const).some(
          (k) => set[k] !== undefined && set[k] !== user[k],
        );
        if (changed) set.modified = now;
      }
      await ctx.db.kysely.updateTable('users').set(set).where('id', '=', user.id).execute();
      await publishUserChanged(ctx, user.id);
      return { ...user, ...set };
    }
    if (input.signUpMode !== 'Automatic') throw notInvited();
    const role = samlRoleOf(input.role);
    const username = await uniqueUsername(ctx.db.kysely, usernameBase(nameId, email));
    const row = samlRow({ username, role, idp, nameId, firstName: givenName, lastName: surname, email }, now);
    row.last_login = now;
    try {
      await ctx.db.kysely.insertInto('users').values(row).execute();
    } catch (err) {
      // Two first sign-ins at once: of the same person (the account now exists), or of two
      // people whose usernames came out the same (the next attempt picks another).
      if (isUniqueViolation(err) && attempt < 3) continue;
      throw err;
    }
    await publishUserChanged(ctx, row.id);
    return row;
  }
}

/** An account an administrator registers for a person of an identity provider. */
export interface NewSamlAccount {
  /** The IdP's entity ID; absent: bound at the first sign-in through a single-IdP login. */
  idpEntityId?: string;
  /** The NameID the IdP asserts for the person (ArcGIS: idpUsername). */
  nameId: string;
  /** Default: derived from the NameID or email (usernameBase), made unique. */
  username?: string;
  role: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  description?: string;
}

/** Bad entries of addSamlAccounts, by their index in the list given. */
export interface SamlAccountProblem {
  index: number;
  code: string;
  message: string;
}

function problem(index: number, err: unknown): SamlAccountProblem {
  if (err instanceof MeridianError) return { index, code: err.code, message: err.message };
  throw err;
}

/**
 * Registers SAML accounts, all or nothing: every entry is checked first (fields, role,
 * username rules, duplicates within the list and with existing accounts), and when any is
 * wrong nothing is written and a FieldInvalid error is thrown whose data.problems lists each
 * bad entry by index (a single entry throws its own error instead). The accounts are then
 * inserted in one transaction.
 */
export async function addSamlAccounts(
  ctx: IdentityCtx,
  accounts: readonly NewSamlAccount[],
  opts: {
    now?: number /** How messages name an entry (default: 'entry N', from 1). */;
    label?: (index: number) => string;
  } = {},
): Promise<UserRow[]> {
  const now = opts.now ?? Date.now();
  const label = opts.label ?? ((i: number) => `entry ${i + 1}`);
  const problems: SamlAccountProblem[] = [];
  const rows: (UserRow | undefined)[] = [];
  const usernames = new Map<string, number>();
  const identities = new Map<string, number>();
  const q = ctx.db.kysely;
  // Explicit usernames first, so that derived ones steer clear of them.
  for (const a of accounts) if (a.username?.trim()) usernames.set(usernameKey(a.username), -1);
  for (const [index, a] of accounts.entries()) {
    try {
      const { idp, nameId } = checkIdentity(a.idpEntityId, a.nameId);
      const role = checkRole(a.role);
      const profile = checkProfile(a);
      const idKey = `${idp ?? ''}\n${nameId}`;
      const sameIdentity = identities.get(idKey);
      if (sameIdentity !== undefined)
        throw new MeridianError(
          SamlAccountExists,
          `The NameID '${nameId}'${idp ? ` of ${idp}` : ''} is already on ${label(sameIdentity)}.`,
        );
      const existing = idp ? await findSamlAccount(q, idp, nameId) : await findUnboundSamlAccount(q, nameId);
      if (existing)
        throw new MeridianError(
          SamlAccountExists,
          `The NameID '${nameId}'${idp ? ` of ${idp}` : ''} already has an account: '${existing.username}'.`,
        );
      let username = a.username?.trim();
      if (username) {
        checkUsername(username);
        const other = usernames.get(usernameKey(username));
        if (other !== undefined && other !== -1)
          throw new MeridianError(UsernameTaken, `The username '${username}' is already on ${label(other)}.`);
        if (
          await q
            .selectFrom('users')
            .select('id')
            .where('username_lower', '=', usernameKey(username))
            .executeTakeFirst()
        )
          throw new MeridianError(
            UsernameTaken,
            `A user named '${username}' already exists (usernames are compared without regard to case). Choose another username.`,
          );
      } else {
        username = await uniqueUsername(q, usernameBase(nameId, profile.email), new Set(usernames.keys()));
      }
      usernames.set(usernameKey(username), index);
      identities.set(idKey, index);
      rows.push(samlRow({ ...profile, username, role, idp, nameId }, now));
    } catch (err) {
      problems.push(problem(index, err));
      rows.push(undefined);
    }
  }
  if (problems.length) {
    if (accounts.length === 1 && problems[0]) {
      const p = problems[0];
      const spec = [FieldInvalid, SamlAccountExists, UsernameTaken].find((s) => s.code === p.code);
      if (spec) throw new MeridianError(spec, p.message);
    }
    throw new MeridianError(
      FieldInvalid,
      `${problems.length} of ${accounts.length} accounts are not valid; none was added.`,
      { data: { problems } },
    );
  }
  const created = rows as UserRow[];
  try {
    await ctx.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < created.length; i += 200)
        await trx
          .insertInto('users')
          .values(created.slice(i, i + 200))
          .execute();
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new MeridianError(
        UsernameTaken,
        'An account with one of these usernames or NameIDs was added meanwhile; none was added. Try again.',
      );
    throw err;
  }
  await ctx.bus.publish(USER_CHANGED, created.length === 1 ? { id: created[0]!.id } : {});
  return created;
}
