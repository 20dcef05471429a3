import { UsageError } from '../usage-error.ts';

export type Flags = Record<string, string | boolean>;

/**
 * Separates a command's own flags from the settings flags (--home, --database-url, …) that go
 * to the configuration loader, which refuses unknown ones. A boolean own flag given a word by
 * the generic parser (`--trust URL`) gives that word back to the positional arguments.
 */
export function splitFlags(
  words: string[],
  flags: Flags,
  own: { values: readonly string[]; booleans: readonly string[] },
): { words: string[]; own: Flags; settings: Flags } {
  const mine: Flags = {};
  const settings: Flags = {};
  const rest = [...words];
  for (const [k, v] of Object.entries(flags)) {
    if (own.booleans.includes(k)) {
      if (typeof v === 'string') rest.push(v);
      mine[k] = true;
    } else if (own.values.includes(k)) mine[k] = v;
    else settings[k] = v;
  }
  return { words: rest, own: mine, settings };
}

/** The string value of an own flag; a flag given without a value is a usage error. */
export function flagText(own: Flags, name: string, usage: string): string | undefined {
  const v = own[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new UsageError(`${name} needs a value.\n${usage}`);
  return v;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
