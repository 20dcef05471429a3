import { given, type Options, text } from '../../cli/options.ts';
import { readStdin } from '../../cli/stdin.ts';
import { UsageError } from '../../cli/usage-error.ts';

/** The password of --password P or --password-stdin; undefined when neither was given. */
export async function passwordInput(
  command: string,
  options: Options,
  stdin: NodeJS.ReadableStream,
): Promise<string | undefined> {
  const password = text(options, 'password');
  if (!given(options, 'password-stdin')) return password;
  if (password !== undefined)
    throw new UsageError(`meridian ${command}: give --password P or --password-stdin, not both.`);
  const read = await readStdin(stdin);
  if (!read) throw new UsageError(`meridian ${command}: --password-stdin was given but stdin was empty.`);
  return read;
}
