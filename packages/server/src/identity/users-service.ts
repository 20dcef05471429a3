import { randomBytes } from 'node:crypto';
import type { Config } from '../kernel/config/load.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import type { Kernel } from '../kernel/kernel.ts';
import {
  BuiltInAccountsDisabled,
  FieldInvalid,
  LastAdmin,
  LastSamlAdmin,
  UserNotFound,
  UsernameTaken,
  UserOwnsContent,
  WrongPassword,
} from './errors.ts';
import { retireInitialPassword } from './initial-password-file.ts';
import { hashPassword } from './password-hash.ts';
import { checkPasswordPolicy } from './password-policy.ts';
import type { UserContentPort } from './ports.ts';
import { addSamlAccounts } from './saml-accounts.ts';
import { checkPasswordAttempt } from './sign-in.ts';
import { currentSignInPolicy, type SignInPolicySource } from './sign-in-policy.ts';
import { unlockAccount } from './sign-in-throttle.ts';
import { publishUserChanged } from './user-events.ts';
import { checkProfile, checkRole, type ProfileChanges } from './user-fields.ts';
import { checkUsername } from './username-rules.ts';
import {
  bumpTokenEpoch,
  countEnabledAdmins,
  countEnabledSamlAdmins,
  findUserByUsername,
  isUniqueViolation,
  lockAdministrators,
  type UserRow,
  usernameKey,
} from './users-store.ts';

export type { ProfileChanges };

/**
 * The one library of user changes: the Sharing API, the administrator API and the
 * `meridian users` CLI all call these, so the same rules hold everywhere. Every change is
 * announced on the bus ('identity.user') after it is committed.
 */
export type IdentityCtx = Pick<Kernel, 'db' | 'bus'> & {
  config?: Pick<Config, 'home'>;
  /** The organisation's sign-in policy (absent: built-in accounts may do everything). */
  signInPolicy?: SignInPolicySource;
};

export interface NewUser {
  username: string;
  password?: string;
  firstName?: string;
  lastName?: string;
  fullName?: string;
  email?: string;
  description?: string;
  role: string;
  provider?: string;
  /** Enterprise accounts: the NameID the identity provider asserts (default: the username). */
  idpUsername?: string;
  /** Enterprise accounts: the identity provider's entity ID (see saml-accounts.ts). */
  idpEntityId?: string;
}

function notFound(): MeridianError {
  return new MeridianError(UserNotFound, 'User not found.');
}

async function requireUser(ctx: IdentityCtx, username: string): Promise<UserRow> {
  const user = await findUserByUsername(ctx.db.kysely, username);
  if (!user) throw notFound();
  return user;
}

/**
 * While built-in sign-in is off, only SAML accounts can sign in: the last enabled SAML
 * administrator must stay, or nobody could administer the organisation through the portal.
 */
async function guardLastSamlAdmin(
  trx: Parameters<typeof countEnabledSamlAdmins>[0],
  user: UserRow,
  builtInSignInOff: boolean,
  action: string,
): Promise<void> {
  if (!builtInSignInOff || user.provider !== 'enterprise' || user.role !== 'org_admin') return;
  if (Number(user.disabled) !== 0) return;
  if ((await countEnabledSamlAdmins(trx)) <= 1)
    throw new MeridianError(
      LastSamlAdmin,
      `Cannot ${action} the last enabled administrator with a SAML account while built-in sign-in is turned off (canSignInArcGIS): make another SAML account an administrator first, or turn built-in sign-in back on.`,
    );
}

async function builtInSignInOff(ctx: IdentityCtx): Promise<boolean> {
  return !(await currentSignInPolicy(ctx)).canSignInArcGIS;
}

function lastAdminError(action: string): MeridianError {
  return new MeridianError(
    LastAdmin,
    `Cannot ${action} the last enabled administrator of the organisation. Make another user an administrator (org_admin) first.`,
  );
}

/**
 * Creates a user. Built-in (provider arcgis) accounts need a password that meets the policy,
 * and are refused while the organisation does not allow them (allowBuiltInAccounts);
 * enterprise (SAML) accounts have none and are added by addSamlAccounts.
 */
export async function createUser(
  ctx: IdentityCtx,
  input: NewUser,
  opts: {
    now?: number /** The initial 'admin' is shorter than the 6 characters asked of others. */;
    initialAdmin?: boolean;
  } = {},
): Promise<UserRow> {
  const now = opts.now ?? Date.now();
  const username = input.username.trim();
  if (!opts.initialAdmin) checkUsername(username);
  const role = checkRole(input.role);
  const provider = (input.provider ?? 'arcgis').trim().toLowerCase();
  if (provider !== 'arcgis' && provider !== 'enterprise')
    throw new MeridianError(
      FieldInvalid,
      `The provider '${provider}' is not valid: use arcgis or enterprise.`,
    );
  if (provider === 'enterprise') {
    const [row] = await addSamlAccounts(
      ctx,
      [
        {
          ...input,
          username,
          nameId: input.idpUsername?.trim() || username,
          idpEntityId: input.idpEntityId,
          role,
        },
      ],
      { now },
    );
    return row!;
  }
  if (!opts.initialAdmin && !(await currentSignInPolicy(ctx)).allowBuiltInAccounts)
    throw new MeridianError(
      BuiltInAccountsDisabled,
      "Creating built-in accounts is turned off for this organisation (allowBuiltInAccounts). Add a SAML account (provider 'enterprise') instead.",
    );
  const profile = checkProfile(input);
  let passwordHash: string | null = null;
  if (provider === 'arcgis') {
    if (!input.password)
      throw new MeridianError(FieldInvalid, 'A built-in (provider arcgis) account needs a password.');
    checkPasswordPolicy(input.password, username);
    passwordHash = await hashPassword(input.password);
  }
  const fullName =
    profile.fullName || [profile.firstName, profile.lastName].filter(Boolean).join(' ') || username;
  const row: UserRow = {
    id: randomBytes(16).toString('hex'),
    username,
    username_lower: usernameKey(username),
    first_name: profile.firstName ?? '',
    last_name: profile.lastName ?? '',
    full_name: fullName,
    email: profile.email ?? '',
    description: profile.description ?? '',
    role,
    provider,
    idp_username: null,
    idp_entity_id: null,
    disabled: 0,
    password_hash: passwordHash,
    token_epoch: 0,
    last_login: -1,
    created: now,
    modified: now,
  };
  try {
    await ctx.db.kysely.insertInto('users').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err))
      throw new MeridianError(
        UsernameTaken,
        `A user named '${username}' already exists (usernames are compared without regard to case). Choose another username.`,
      );
    throw err;
  }
  await publishUserChanged(ctx, row.id);
  return row;
}

/** Changes profile fields (administrators, or the user on their own account). */
export async function updateProfile(
  ctx: IdentityCtx,
  username: string,
  changes: ProfileChanges,
  now = Date.now(),
): Promise<UserRow> {
  const user = await requireUser(ctx, username);
  const p = checkProfile(changes);
  const set: Partial<UserRow> = {};
  if (p.firstName !== undefined) set.first_name = p.firstName;
  if (p.lastName !== undefined) set.last_name = p.lastName;
  if (p.fullName !== undefined) set.full_name = p.fullName || user.username;
  if (p.email !== undefined) set.email = p.email;
  if (p.description !== undefined) set.description = p.description;
  if (Object.keys(set).length === 0) return user;
  await ctx.db.kysely
    .updateTable('users')
    .set({ ...set, modified: now })
    .where('id', '=', user.id)
    .execute();
  await publishUserChanged(ctx, user.id);
  return { ...user, ...set, modified: now };
}

async function storePassword(ctx: IdentityCtx, user: UserRow, password: string, now: number): Promise<void> {
  if (user.provider !== 'arcgis')
    throw new MeridianError(
      FieldInvalid,
      `The user '${user.username}' signs in through their identity provider; Meridian keeps no password for them.`,
    );
  checkPasswordPolicy(password, user.username);
  const hash = await hashPassword(password);
  await ctx.db.kysely.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash }).where('id', '=', user.id).execute();
    await bumpTokenEpoch(trx, user.id, now);
  });
  // A password set by an administrator (or by the user) also lifts a lockout.
  await unlockAccount(ctx.db.kysely, user.username);
  // The generated initial password, once replaced, is no longer kept on disk.
  if (ctx.config) await retireInitialPassword(ctx.config.home, user.password_hash, true);
  await publishUserChanged(ctx, user.id);
}

/** An administrator sets a user's password; every token of the user is revoked. */
export async function setPassword(ctx: IdentityCtx, username: string, password: string, now = Date.now()) {
  await storePassword(ctx, await requireUser(ctx, username), password, now);
}

/**
 * A user changes their own password; the current one must be given, and a wrong one counts
 * as a failed sign-in from `clientIp` (so it cannot be used to guess around the lockout).
 * Revokes their tokens.
 */
export async function changeOwnPassword(
  ctx: IdentityCtx & Pick<Kernel, 'config'>,
  username: string,
  oldPassword: string | undefined,
  newPassword: string,
  clientIp: string,
  now = Date.now(),
): Promise<void> {
  const user = await requireUser(ctx, username);
  if (!oldPassword)
    throw new MeridianError(
      WrongPassword,
      "To change your password, send your current password as 'oldPassword'.",
    );
  if (!(await checkPasswordAttempt(ctx, user.username, oldPassword, clientIp, now)))
    throw new MeridianError(WrongPassword, "The current password ('oldPassword') is not correct.");
  await storePassword(ctx, user, newPassword, now);
}

/** A strong random password that meets the policy. */
export function generatePassword(): string {
  for (;;) {
    const p = randomBytes(18).toString('base64url');
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p;
  }
}

/** Sets a new password (the given one, or a generated one, which is returned). */
export async function resetPassword(ctx: IdentityCtx, username: string, password?: string): Promise<string> {
  const pw = password ?? generatePassword();
  await setPassword(ctx, username, pw);
  return pw;
}

/** Changes a user's role; the last enabled administrator cannot be demoted. Revokes tokens. */
export async function setRole(ctx: IdentityCtx, username: string, roleName: string, now = Date.now()) {
  const role = checkRole(roleName);
  const samlOnly = await builtInSignInOff(ctx);
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockAdministrators(trx, ctx.db);
    const user = await findUserByUsername(trx, username);
    if (!user) throw notFound();
    if (user.role === role) return undefined;
    if (user.role === 'org_admin' && Number(user.disabled) === 0 && (await countEnabledAdmins(trx)) <= 1)
      throw lastAdminError('change the role of');
    await guardLastSamlAdmin(trx, user, samlOnly, 'change the role of');
    await trx.updateTable('users').set({ role }).where('id', '=', user.id).execute();
    await bumpTokenEpoch(trx, user.id, now);
    return user.id;
  });
  if (id) await publishUserChanged(ctx, id);
}

/** Disables or enables a user; the last enabled administrator cannot be disabled. Disabling revokes tokens. */
export async function setDisabled(ctx: IdentityCtx, username: string, disabled: boolean, now = Date.now()) {
  const samlOnly = await builtInSignInOff(ctx);
  const id = await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockAdministrators(trx, ctx.db);
    const user = await findUserByUsername(trx, username);
    if (!user) throw notFound();
    if ((Number(user.disabled) !== 0) === disabled) return undefined;
    if (disabled && user.role === 'org_admin' && (await countEnabledAdmins(trx)) <= 1)
      throw lastAdminError('disable');
    if (disabled) await guardLastSamlAdmin(trx, user, samlOnly, 'disable');
    await trx
      .updateTable('users')
      .set({
        disabled: disabled ? 1 : 0,
        modified: now,
      })
      .where('id', '=', user.id)
      .execute();
    if (disabled) await bumpTokenEpoch(trx, user.id, now);
    return user.id;
  });
  // Re-enabling an account also lifts a lockout.
  if (!disabled) await unlockAccount(ctx.db.kysely, username);
  if (id) await publishUserChanged(ctx, id);
}

/** An administrator lifts every sign-in lock of a user (all addresses). */
export async function unlockUser(ctx: IdentityCtx, username: string): Promise<void> {
  const user = await requireUser(ctx, username);
  await unlockAccount(ctx.db.kysely, user.username);
  await publishUserChanged(ctx, user.id);
}

/** Raises the user's token epoch: every token and web session they hold stops working. */
export async function revokeTokens(ctx: IdentityCtx, userId: string, now = Date.now()): Promise<void> {
  await bumpTokenEpoch(ctx.db.kysely, userId, now);
  await publishUserChanged(ctx, userId);
}

/**
 * Deletes a user who owns no items and no groups (refused, naming the counts, otherwise);
 * the last enabled administrator cannot be deleted. Group memberships and empty folders go too.
 */
export async function deleteUser(
  ctx: IdentityCtx & { userContent: UserContentPort },
  username: string,
): Promise<void> {
  const samlOnly = await builtInSignInOff(ctx);
  const deleted = await ctx.db.kysely.transaction().execute(async (trx) => {
    await lockAdministrators(trx, ctx.db);
    const user = await findUserByUsername(trx, username);
    if (!user) throw notFound();
    if (user.role === 'org_admin' && Number(user.disabled) === 0 && (await countEnabledAdmins(trx)) <= 1)
      throw lastAdminError('delete');
    await guardLastSamlAdmin(trx, user, samlOnly, 'delete');
    const owned = await ctx.userContent.ownedBy(trx, user.username);
    if (owned.items || owned.groups)
      throw new MeridianError(
        UserOwnsContent,
        `Cannot delete '${user.username}': they own ${owned.items} item${owned.items === 1 ? '' : 's'} and ${owned.groups} group${owned.groups === 1 ? '' : 's'}. Delete or reassign them first.`,
        { data: owned },
      );
    await ctx.userContent.releaseUser(trx, user.username);
    await trx.deleteFrom('users').where('id', '=', user.id).execute();
    return user;
  });
  await ctx.userContent.userReleased(deleted.username);
  await publishUserChanged(ctx, deleted.id);
}
