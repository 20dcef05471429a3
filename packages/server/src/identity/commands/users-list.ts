import { table } from '../../cli/table.ts';
import type { CommandSpec } from '../../kernel/module.ts';
import type { IdentityApi, UserRow } from '../module.ts';

function state(u: UserRow, lockedUntil: number | undefined): string {
  if (Number(u.disabled)) return 'disabled';
  if (lockedUntil !== undefined) return `locked until ${new Date(lockedUntil).toISOString()}`;
  return 'enabled';
}

/** built-in, or SAML with the NameID and the identity provider. */
function login(u: UserRow): string {
  if (u.provider !== 'enterprise') return 'built-in';
  return `SAML ${u.idp_username ?? ''} of ${u.idp_entity_id ?? 'the SAML login'}`;
}

export const usersList: CommandSpec<IdentityApi> = {
  name: 'users list',
  summary: 'Every account: role, state (enabled, disabled, locked), last sign-in, login (built-in or SAML).',
  async run(ctx) {
    const { api } = await ctx.open();
    const rows = [['USERNAME', 'ROLE', 'STATE', 'EMAIL', 'FULL NAME', 'LAST LOGIN', 'LOGIN']];
    for (let start = 1; start !== -1; ) {
      const page = await api.search({ start, num: 100, admin: true });
      const locks = await api.locks(page.results.map((u) => u.username));
      for (const u of page.results)
        rows.push([
          u.username,
          u.role,
          state(u, locks.get(u.username_lower)),
          u.email,
          u.full_name,
          Number(u.last_login) > 0 ? new Date(Number(u.last_login)).toISOString() : 'never',
          login(u),
        ]);
      start = page.nextStart;
    }
    ctx.stdout.write(table(rows));
  },
};
