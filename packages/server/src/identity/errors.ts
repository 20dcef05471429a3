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

export const AccountNotInvited = defineError({
  code: 'saml.account_not_invited',
  status: 403,
  summary:
    'The SAML login admits only people an administrator has registered (sign-up mode Invitation), and this person has no account.',
  fix: 'Ask an administrator of the organisation to add your account (Organization › Members, POST /portaladmin/security/users/createUser with provider=enterprise, or `meridian users add --idp ENTITYID --name-id NAMEID`).',
});

export const SamlAccountExists = defineError({
  code: 'identity.saml_account_exists',
  status: 409,
  arcgisCode: 400,
  summary: 'An account for this identity provider and NameID already exists.',
  fix: 'Each person of an identity provider has one account: change the existing one instead (meridian users list shows it).',
});

export const BuiltInSignInDisabled = defineError({
  code: 'identity.builtin_sign_in_disabled',
  status: 403,
  summary:
    'Signing in with a built-in account (username and password) is turned off for this organisation (canSignInArcGIS is false).',
  fix: "Sign in through the organisation's SAML login. An administrator can turn built-in sign-in back on (Organization › Settings › Security, or portals/self/update canSignInArcGIS=true); an organisation locked out runs `meridian portal allow-builtin-sign-in` on the server.",
});

export const BuiltInAccountsDisabled = defineError({
  code: 'identity.builtin_accounts_disabled',
  status: 403,
  summary: 'Creating built-in accounts is turned off for this organisation (allowBuiltInAccounts is false).',
  fix: 'Add a SAML account (provider enterprise) instead, or turn allowBuiltInAccounts back on (portals/self/update, or `meridian portal allow-builtin-sign-in` on the server).',
});

export const LastSamlAdmin = defineError({
  code: 'identity.last_saml_admin',
  status: 400,
  summary:
    'While built-in sign-in is turned off, the last enabled administrator with a SAML account cannot be removed, demoted or disabled: nobody could administer the organisation.',
  fix: 'Make another SAML account an administrator first, or turn built-in sign-in back on (canSignInArcGIS).',
});
