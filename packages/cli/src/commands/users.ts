import { openPortalNode } from '@meridian/server/roles/portal.ts';
import { type CliContext, loadSettings } from '../cli-context.ts';
import { UsageError } from '../usage-error.ts';
import { type Flags, flagText, readStdin, splitFlags, table } from './own-flags.ts';

export const USAGE = `Usage:
  meridian users add USERNAME --role ROLE --email EMAIL [--first-name F] [--last-name L] [--full-name N] (--password P | --password-stdin)
  meridian users list
  meridian users set-role USERNAME org_admin|org_publisher|org_user
  meridian users disable USERNAME
  meridian users enable USERNAME
  meridian users unlock USERNAME        lift a sign-in lockout (for every client address)
  meridian users reset-password USERNAME [--password-stdin]   (prints a generated password unless one comes on stdin)
Each also takes --home DIR (and the other settings flags, e.g. --database-url).`;

/** Flags this command reads; every other flag is a setting (--home, --database-url, …). */
const OWN_FLAGS = {
  values: ['--role', '--email', '--first-name', '--last-name', '--full-name', '--password'],
  booleans: ['--password-stdin'],
} as const;

function text(own: Flags, name: string, required = false): string | undefined {
  const v = flagText(own, name, USAGE);
  if (v === undefined && required) throw new UsageError(`meridian users: ${name} is required.\n${USAGE}`);
  return v;
}

async function readStdinPassword(): Promise<string> {
  const pw = await readStdin();
  if (!pw) throw new UsageError('meridian users: --password-stdin was given but stdin was empty.');
  return pw;
}

function needUsername(words: string[], sub: string): string {
  const u = words[1];
  if (!u) throw new UsageError(`meridian users ${sub}: USERNAME is missing.\n${USAGE}`);
  return u;
}

/**
 * `meridian users …`: works on the data directory (or database) directly, through the same
 * service functions as the API. A running portal sees the change at once on PostgreSQL (the
 * change is announced with NOTIFY) and within a few seconds on SQLite (its user cache expires).
 */
export async function usersCommand(argv: string[], flags: Flags, ctx: CliContext): Promise<void> {
  const { words, own, settings } = splitFlags(argv, flags, OWN_FLAGS);
  const sub = words[0];
  if (!sub || !['add', 'list', 'set-role', 'disable', 'enable', 'unlock', 'reset-password'].includes(sub))
    throw new UsageError(`meridian users: unknown subcommand '${sub ?? ''}'.\n${USAGE}`);
  const node = await openPortalNode(loadSettings(settings, ctx), { logger: false });
  const { identity } = node.modules;
  try {
    switch (sub) {
      case 'add': {
        const username = needUsername(words, sub);
        const password = own['--password-stdin'] ? await readStdinPassword() : text(own, '--password');
        if (!password) throw new UsageError('meridian users add: give --password P or --password-stdin.');
        const user = await identity.createUser({
          username,
          password,
          role: text(own, '--role', true)!,
          email: text(own, '--email', true),
          firstName: text(own, '--first-name'),
          lastName: text(own, '--last-name'),
          fullName: text(own, '--full-name'),
        });
        process.stdout.write(`created ${user.username} (${user.role})\n`);
        return;
      }
      case 'list': {
        const rows = [['USERNAME', 'ROLE', 'STATE', 'EMAIL', 'FULL NAME', 'LAST LOGIN']];
        for (let start = 1; start !== -1; ) {
          const page = await identity.search({ start, num: 100, admin: true });
          const locks = await identity.locks(page.results.map((u) => u.username));
          for (const u of page.results)
            rows.push([
              u.username,
              u.role,
              Number(u.disabled)
                ? 'disabled'
                : locks.has(u.username_lower)
                  ? `locked until ${new Date(locks.get(u.username_lower)!).toISOString()}`
                  : 'enabled',
              u.email,
              u.full_name,
              Number(u.last_login) > 0 ? new Date(Number(u.last_login)).toISOString() : 'never',
            ]);
          start = page.nextStart;
        }
        process.stdout.write(table(rows));
        return;
      }
      case 'set-role': {
        const username = needUsername(words, sub);
        const role = words[2];
        if (!role) throw new UsageError(`meridian users set-role: ROLE is missing.\n${USAGE}`);
        await identity.setRole(username, role);
        process.stdout.write(`${username} is now ${role}\n`);
        return;
      }
      case 'disable':
      case 'enable': {
        const username = needUsername(words, sub);
        await identity.setDisabled(username, sub === 'disable');
        process.stdout.write(`${username} ${sub}d\n`);
        return;
      }
      case 'unlock': {
        const username = needUsername(words, sub);
        await identity.unlock(username);
        process.stdout.write(`${username} unlocked\n`);
        return;
      }
      case 'reset-password': {
        const username = needUsername(words, sub);
        const given = own['--password-stdin'] ? await readStdinPassword() : undefined;
        const pw = await identity.resetPassword(username, given);
        process.stdout.write(given ? `password of ${username} changed\n` : `${pw}\n`);
        return;
      }
    }
  } finally {
    await node.close();
  }
}
