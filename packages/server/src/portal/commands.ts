/** The portal module's `meridian portal …` commands. */
import type { CommandSpec } from '../kernel/module.ts';
import type { PortalApi } from './module.ts';

/**
 * The way back in for an organisation locked out of its SAML login (the IdP is gone, its
 * certificate expired, the administrators' accounts are unreachable): run on the server, with
 * the node's data directory (and database), it needs no sign-in.
 */
export const portalAllowBuiltInSignIn: CommandSpec<PortalApi> = {
  name: 'portal allow-builtin-sign-in',
  summary: 'Turns built-in sign-in and built-in accounts back on: the way in when the SAML login fails.',
  description:
    'Sets canSignInArcGIS and allowBuiltInAccounts to true, as portals/self/update would; running nodes follow at once. Then sign in with a built-in administrator: set its password with `meridian users reset-password USERNAME`, or create one with `meridian users add USERNAME --role org_admin --email EMAIL --password-stdin`.',
  async run(ctx) {
    const { api } = await ctx.open();
    const before = await api.settings.get();
    await api.settings.update({ canSignInArcGIS: true, allowBuiltInAccounts: true });
    const was = (on: boolean) => (on ? 'was on' : 'turned on');
    ctx.stdout.write(
      `built-in sign-in (canSignInArcGIS): ${was(before.canSignInArcGIS)}\n` +
        `creating built-in accounts (allowBuiltInAccounts): ${was(before.allowBuiltInAccounts)}\n` +
        `Next: give a built-in administrator a password:\n  ${ctx.commandLine(['users', 'reset-password', 'USERNAME'])}\n` +
        `or create one:\n  ${ctx.commandLine(['users', 'add', 'USERNAME', '--role', 'org_admin', '--email', 'EMAIL', '--password-stdin'])}\n`,
    );
    return 0;
  },
};
