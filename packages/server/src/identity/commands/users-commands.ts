/** The `meridian users …` commands of the identity module, in the order the help lists them. */
import type { CommandSpec } from '../../kernel/module.ts';
import type { IdentityApi } from '../module.ts';
import { usersAdd } from './users-add.ts';
import { usersDisable, usersEnable, usersSetRole, usersUnlock } from './users-change.ts';
import { usersList } from './users-list.ts';
import { usersResetPassword } from './users-reset-password.ts';

export const usersCommands: readonly CommandSpec<IdentityApi>[] = [
  usersAdd,
  usersList,
  usersSetRole,
  usersDisable,
  usersEnable,
  usersUnlock,
  usersResetPassword,
];
