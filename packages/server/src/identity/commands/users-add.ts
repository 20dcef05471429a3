import { text } from '../../cli/options.ts';
import { UsageError } from '../../cli/usage-error.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { IdentityApi } from '../module.ts';
import { passwordInput } from './password-input.ts';

export const usersAdd: CommandSpec<IdentityApi> = {
  name: 'users add',
  summary: 'Creates a built-in account.',
  args: ['USERNAME'],
  options: {
    role: {
      type: 'string',
      valueName: 'ROLE',
      required: true,
      description: 'org_admin, org_publisher or org_user.',
    },
    email: { type: 'string', valueName: 'EMAIL', required: true, description: 'Email address.' },
    'first-name': { type: 'string', valueName: 'F', description: 'First name.' },
    'last-name': { type: 'string', valueName: 'L', description: 'Last name.' },
    'full-name': { type: 'string', valueName: 'N', description: 'Full name (default: first and last name).' },
    password: {
      type: 'string',
      valueName: 'P',
      description: 'Its password (visible to other users of this machine: prefer --password-stdin).',
    },
    'password-stdin': { type: 'boolean', description: 'Read its password from stdin.' },
  },
  description: 'Give the password with --password P or --password-stdin.',
  async run(ctx) {
    const password = await passwordInput('users add', ctx.options, ctx.stdin);
    if (!password) throw new UsageError('meridian users add: give --password P or --password-stdin.');
    const { api } = await ctx.open();
    const user = await api.createUser({
      username: ctx.args[0]!,
      password,
      role: text(ctx.options, 'role')!,
      email: text(ctx.options, 'email'),
      firstName: text(ctx.options, 'first-name'),
      lastName: text(ctx.options, 'last-name'),
      fullName: text(ctx.options, 'full-name'),
    });
    ctx.stdout.write(`created ${user.username} (${user.role})\n`);
  },
};
