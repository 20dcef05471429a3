/**
 * The role's settings as flags every command takes: each setting key as --kebab-case
 * (https.port → --https-port, outbound.allowLoopback → --outbound-allow-loopback) with a value,
 * and --config FILE. They go to the role's configuration loader; --home and --config are
 * paths, taken from the user's directory.
 */
import { resolve } from 'node:path';
import { flagName } from '@meridian/server/kernel/config/load.ts';
import type { SettingDef } from '@meridian/server/kernel/config/setting-def.ts';

export const CONFIG_FLAG = 'config';
const PATH_FLAGS = new Set(['home', CONFIG_FLAG]);

/** parseArgs options for the settings flags, by name without the dashes. */
export function settingsOptions(settings: readonly SettingDef[]): Record<string, { type: 'string' }> {
  const out: Record<string, { type: 'string' }> = { [CONFIG_FLAG]: { type: 'string' } };
  for (const s of settings) out[flagName(s.key).slice(2)] = { type: 'string' };
  return out;
}

/** What the value of a setting is, in the help: N, true|false, the values of an enum, HOME. */
export function settingValueName(s: SettingDef): string {
  if (s.type === 'integer') return 'N';
  if (s.type === 'boolean') return 'true|false';
  if (s.type === 'enum') return (s.values ?? []).join('|');
  return s.key
    .split('.')
    .at(-1)!
    .replace(/[A-Z]/g, (c) => `-${c}`)
    .toUpperCase();
}

/** A settings flag as given ('--home', value), with a relative --home or --config made absolute. */
export function settingsFlag(name: string, value: string, cwd: string): readonly [string, string] {
  return [`--${name}`, PATH_FLAGS.has(name) ? resolve(cwd, value) : value];
}
