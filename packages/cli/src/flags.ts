/**
 * Splits argv into positional words and `--name value` / `--name=value` / `--flag` flags.
 * Which flags exist is decided by the configuration schema (config/settings.ts) and by
 * each command; unknown ones are refused there.
 */
export function parseFlags(
  argv: string[],
  booleanFlags: ReadonlySet<string> = new Set(),
): {
  words: string[];
  flags: Record<string, string | boolean>;
} {
  const words: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags[a.slice(0, eq)] = a.slice(eq + 1);
      else if (booleanFlags.has(a) || i + 1 >= argv.length || argv[i + 1]!.startsWith('--')) flags[a] = true;
      else flags[a] = argv[++i]!;
    } else words.push(a);
  }
  return { words, flags };
}
