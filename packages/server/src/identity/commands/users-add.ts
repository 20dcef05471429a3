import { text } from '../../cli/options.ts';
import { UsageError } from '../../cli/usage-error.ts';
import { readUserFile } from '../../cli/user-files.ts';
import { isMeridianError } from '../../kernel/errors/meridian-error.ts';
import type { CommandContext, CommandSpec } from '../../kernel/module.ts';
import type { IdentityApi, SamlAccountProblem } from '../module.ts';
import { CSV_COLUMNS, CsvError, parseAccountsCsv } from './accounts-csv.ts';
import { passwordInput } from './password-input.ts';

type Ctx = CommandContext<IdentityApi>;

function refuse(ctx: Ctx, names: string[], why: string): void {
  for (const n of names)
    if (ctx.options[n] !== undefined) throw new UsageError(`meridian users add: --${n} ${why}`);
}

/** Adds SAML accounts; a refusal lists every bad entry by `label` and exits 1 (nothing added). */
async function addSaml(
  ctx: Ctx,
  accounts: Parameters<IdentityApi['addSamlAccounts']>[0],
  label: (i: number) => string,
): Promise<number> {
  const { api } = await ctx.open();
  try {
    const created = await api.addSamlAccounts(accounts, label);
    for (const u of created)
      ctx.stdout.write(
        `created ${u.username} (${u.role}, SAML ${u.idp_username} of ${u.idp_entity_id ?? 'the SAML login'})\n`,
      );
    return 0;
  } catch (err) {
    const problems = isMeridianError(err)
      ? (err.data?.problems as SamlAccountProblem[] | undefined)
      : undefined;
    if (!problems) throw err;
    for (const p of problems) ctx.stderr.write(`meridian: ${label(p.index)}: ${p.message} [${p.code}]\n`);
    ctx.stderr.write(`meridian: ${isMeridianError(err) ? err.message : ''}\n`);
    return 1;
  }
}

export const usersAdd: CommandSpec<IdentityApi> = {
  name: 'users add',
  summary: 'Creates a built-in account, or pre-registers SAML accounts (--idp, --name-id, or --csv FILE).',
  args: ['[USERNAME]'],
  options: {
    role: {
      type: 'string',
      valueName: 'ROLE',
      required: true,
      description: 'org_admin, org_publisher or org_user (with --csv: for lines without a role).',
    },
    email: {
      type: 'string',
      valueName: 'EMAIL',
      description: 'Email address (required for a built-in account).',
    },
    'first-name': { type: 'string', valueName: 'F', description: 'First name.' },
    'last-name': { type: 'string', valueName: 'L', description: 'Last name.' },
    'full-name': { type: 'string', valueName: 'N', description: 'Full name (default: first and last name).' },
    password: {
      type: 'string',
      valueName: 'P',
      description: 'Its password (visible to other users of this machine: prefer --password-stdin).',
    },
    'password-stdin': { type: 'boolean', description: 'Read its password from stdin.' },
    idp: {
      type: 'string',
      valueName: 'ENTITYID',
      description:
        'A SAML account: the entity ID of its identity provider (with --csv: for lines without one).',
    },
    'name-id': {
      type: 'string',
      valueName: 'ID',
      description: 'A SAML account: the NameID its identity provider asserts for the person.',
    },
    csv: {
      type: 'string',
      valueName: 'FILE',
      description: `SAML accounts from a CSV file with a header row; columns: ${CSV_COLUMNS}.`,
    },
  },
  description:
    'A built-in account: USERNAME, --role, --email and the password (--password P or --password-stdin); refused while allowBuiltInAccounts is off. ' +
    'A SAML account (no password): --name-id ID --role ROLE, with --idp ENTITYID (without it the account is bound to the IdP of a single-IdP login at its first sign-in); USERNAME is optional, by default the NameID (or the email) made a valid, unique username. ' +
    'Many SAML accounts: --csv FILE, one account a line; every line is checked first, a bad line is named with its number and the reason, and nothing is added unless every line is right.',
  async run(ctx) {
    const csv = text(ctx.options, 'csv');
    const nameId = text(ctx.options, 'name-id');
    const idp = text(ctx.options, 'idp');
    const role = text(ctx.options, 'role');
    if (csv !== undefined) {
      if (ctx.args.length)
        throw new UsageError('meridian users add: --csv FILE takes no USERNAME (give a username column).');
      refuse(
        ctx,
        ['name-id', 'email', 'first-name', 'last-name', 'full-name', 'password', 'password-stdin'],
        'goes in a column of the CSV file, not with --csv.',
      );
      const source = readUserFile(ctx, csv).toString('utf8');
      let parsed: ReturnType<typeof parseAccountsCsv>;
      try {
        parsed = parseAccountsCsv(source, { idpEntityId: idp, role });
      } catch (err) {
        if (!(err instanceof CsvError)) throw err;
        for (const l of err.message.split('\n')) ctx.stderr.write(`meridian: ${csv} ${l}\n`);
        ctx.stderr.write('meridian: nothing was added.\n');
        return 1;
      }
      return addSaml(ctx, parsed.accounts, (i) => `${csv} line ${parsed.lines[i]}`);
    }
    if (nameId !== undefined || idp !== undefined) {
      if (!nameId) throw new UsageError('meridian users add: a SAML account needs --name-id ID.');
      refuse(
        ctx,
        ['password', 'password-stdin'],
        'is not for a SAML account: it signs in through its identity provider.',
      );
      return addSaml(
        ctx,
        [
          {
            nameId,
            idpEntityId: idp,
            username: ctx.args[0],
            role: role!,
            email: text(ctx.options, 'email'),
            firstName: text(ctx.options, 'first-name'),
            lastName: text(ctx.options, 'last-name'),
            fullName: text(ctx.options, 'full-name'),
          },
        ],
        () => 'the account',
      );
    }
    const username = ctx.args[0];
    if (!username)
      throw new UsageError('meridian users add: USERNAME is missing (or give --name-id for a SAML account).');
    const password = await passwordInput('users add', ctx.options, ctx.stdin);
    if (!password) throw new UsageError('meridian users add: give --password P or --password-stdin.');
    const { api } = await ctx.open();
    const email = text(ctx.options, 'email');
    if (!email) throw new UsageError('meridian users add: a built-in account needs --email EMAIL.');
    const user = await api.createUser({
      username,
      password,
      role: role!,
      email,
      firstName: text(ctx.options, 'first-name'),
      lastName: text(ctx.options, 'last-name'),
      fullName: text(ctx.options, 'full-name'),
    });
    ctx.stdout.write(`created ${user.username} (${user.role})\n`);
    return 0;
  },
};
