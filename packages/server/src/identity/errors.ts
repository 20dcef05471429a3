import { defineError } from '../kernel/errors/meridian-error.ts';

export const UserNotFound = defineError({
  code: 'identity.user_not_found',
  status: 400,
  summary: 'User not found.',
  fix: 'Check the username; you may also not have access to this user.',
});

export const UsernameInvalid = defineError({
  code: 'identity.username_invalid',
  status: 400,
  summary: 'The username is not valid.',
  fix: 'Use 6 to 128 characters: letters, digits and . _ @ - only.',
});

export const UsernameTaken = defineError({
  code: 'identity.username_taken',
  status: 409,
  arcgisCode: 400,
  summary: 'A user with this username already exists (usernames are compared without regard to case).',
  fix: 'Choose another username.',
});

export const PasswordTooWeak = defineError({
  code: 'identity.password_too_weak',
  status: 400,
  summary: 'The password does not meet the password policy.',
  fix: 'Use at least 8 characters, with letters and digits.',
});

export const WrongPassword = defineError({
  code: 'identity.wrong_password',
  status: 400,
  summary: 'The current password is not correct.',
  fix: 'Send your current password as oldPassword to set a new one.',
});

export const InvalidCredentials = defineError({
  code: 'identity.invalid_credentials',
  status: 400,
  summary: 'Invalid username or password.',
  fix: 'Check the username and password; after several failures in a row the account is locked for a while.',
});

export const AccountLocked = defineError({
  code: 'identity.account_locked',
  status: 400,
  summary: 'The account is locked after too many failed sign-ins.',
  fix: 'Wait until the time in the message, or ask an administrator to unlock it (Organization › Members, POST /portaladmin/security/users/<username>/unlock, or `meridian users unlock <username>`).',
});

export const SignInThrottled = defineError({
  code: 'identity.sign_in_throttled',
  status: 400,
  summary: 'Too many failed sign-ins came from this client address.',
  fix: 'Wait until the time in the message; the limit is identity.addressAttempts per identity.lockoutMinutes.',
});

export const AccountDisabled = defineError({
  code: 'identity.account_disabled',
  status: 400,
  summary: 'The account is disabled.',
  fix: 'Ask an administrator to enable it.',
});

export const LastAdmin = defineError({
  code: 'identity.last_admin',
  status: 400,
  summary: 'The last enabled administrator cannot be removed, demoted or disabled.',
  fix: 'Make another user an administrator (org_admin) first.',
});

export const UserOwnsContent = defineError({
  code: 'identity.user_owns_content',
  status: 400,
  summary: 'The user still owns items or groups.',
  fix: "Delete or reassign the user's items and groups first.",
});

export const FieldInvalid = defineError({
  code: 'identity.field_invalid',
  status: 400,
  summary: 'A user field is not valid.',
  fix: 'Correct the field named in the message.',
});
