import type { SettingDef } from '../kernel/config/setting-def.ts';

/** The initial administrator and the sign-in lockout. */
export const identitySettings: readonly SettingDef[] = [
  {
    key: 'admin.password',
    env: 'MERIDIAN_ADMIN_PASSWORD',
    type: 'string',
    default: undefined,
    secret: true,
    description:
      'Password of the initial administrator "admin", used only when the database has no users. When unset, a password is generated and written once to <home>/initial-admin-password (mode 0600).',
  },
  {
    key: 'identity.lockoutAttempts',
    env: 'MERIDIAN_LOCKOUT_ATTEMPTS',
    type: 'integer',
    min: 1,
    default: 5,
    description:
      'Failed sign-ins in a row after which a built-in account is locked for the client address they came from (other addresses can still sign in).',
  },
  {
    key: 'identity.addressAttempts',
    env: 'MERIDIAN_LOCKOUT_ADDRESS_ATTEMPTS',
    type: 'integer',
    min: 1,
    default: 20,
    description:
      'Failed sign-ins from one client address (IPv6: one /64), whatever the accounts, after which that address is refused for identity.lockoutMinutes.',
  },
  {
    key: 'identity.accountAttempts',
    env: 'MERIDIAN_LOCKOUT_ACCOUNT_ATTEMPTS',
    type: 'integer',
    min: 1,
    default: 100,
    description:
      'Failed sign-ins of one account from all addresses together within identity.lockoutMinutes after which the account is locked, except for addresses it has signed in from in the last 90 days.',
  },
  {
    key: 'identity.lockoutMinutes',
    env: 'MERIDIAN_LOCKOUT_MINUTES',
    type: 'integer',
    min: 1,
    default: 15,
    description: 'How long a lock lasts, and the window in which failed sign-ins are counted.',
  },
];

declare module '../kernel/config/config.ts' {
  interface Config {
    admin: { password: string | undefined };
    identity: {
      lockoutAttempts: number;
      lockoutMinutes: number;
      addressAttempts: number;
      accountAttempts: number;
    };
  }
}
