/** The one-step changes of an account: role, disable, enable, unlock. */
import type { CommandSpec } from '../../kernel/module.ts';
import type { IdentityApi } from '../module.ts';

export const usersSetRole: CommandSpec<IdentityApi> = {
  name: 'users set-role',
  summary: "Changes an account's role; its tokens and sessions stop working.",
  args: ['USERNAME', 'ROLE'],
  description: 'ROLE is org_admin, org_publisher or org_user. The last enabled administrator keeps its role.',
  async run(ctx) {
    const [username, role] = ctx.args as [string, string];
    const { api } = await ctx.open();
    await api.setRole(username, role);
    ctx.stdout.write(`${username} is now ${role}\n`);
  },
};

export const usersDisable: CommandSpec<IdentityApi> = {
  name: 'users disable',
  summary: 'Disables an account: it cannot sign in, its tokens stop working.',
  args: ['USERNAME'],
  async run(ctx) {
    const username = ctx.args[0]!;
    const { api } = await ctx.open();
    await api.setDisabled(username, true);
    ctx.stdout.write(`${username} disabled\n`);
  },
};

export const usersEnable: CommandSpec<IdentityApi> = {
  name: 'users enable',
  summary: 'Enables a disabled account.',
  args: ['USERNAME'],
  async run(ctx) {
    const username = ctx.args[0]!;
    const { api } = await ctx.open();
    await api.setDisabled(username, false);
    ctx.stdout.write(`${username} enabled\n`);
  },
};

export const usersUnlock: CommandSpec<IdentityApi> = {
  name: 'users unlock',
  summary: 'Lifts a sign-in lockout of an account (for every client address).',
  args: ['USERNAME'],
  async run(ctx) {
    const username = ctx.args[0]!;
    const { api } = await ctx.open();
    await api.unlock(username);
    ctx.stdout.write(`${username} unlocked\n`);
  },
};
