import type { CommandSpec } from '../../kernel/module.ts';
import type { IdentityApi } from '../module.ts';
import { passwordInput } from './password-input.ts';

export const usersResetPassword: CommandSpec<IdentityApi> = {
  name: 'users reset-password',
  summary: 'Sets a new password: a generated one, printed, or one read from stdin.',
  args: ['USERNAME'],
  options: {
    'password-stdin': { type: 'boolean', description: 'Read the new password from stdin instead.' },
  },
  async run(ctx) {
    const username = ctx.args[0]!;
    const given = await passwordInput('users reset-password', ctx.options, ctx.stdin);
    const { api } = await ctx.open();
    const password = await api.resetPassword(username, given);
    ctx.stdout.write(given ? `password of ${username} changed\n` : `${password}\n`);
  },
};
