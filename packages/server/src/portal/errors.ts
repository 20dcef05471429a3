import { defineError } from '../kernel/errors/meridian-error.ts';

export const SignInLockout = defineError({
  code: 'portal.sign_in_lockout',
  status: 400,
  summary:
    'Built-in sign-in cannot be turned off (canSignInArcGIS=false) while nobody could sign in as an administrator through a SAML login.',
  fix: 'Register the SAML login, sign in through it with the account that will administer the organisation, make that account an administrator (org_admin), then turn built-in sign-in off.',
});
