import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from './config.ts';
import { ConfigInvalid } from './errors.ts';
import type { SettingDef } from './setting-def.ts';

export type { Config };

export interface LoadOptions {
  /** Command-line flags as `--https-port` → value. */
  flags?: Record<string, string | boolean>;
  /** Environment; the only place that reads process.env is loadFromProcess below. */
  env?: Record<string, string | undefined>;
  /** Explicit overrides, for tests and embedding (dotted keys). */
  overrides?: Record<string, unknown>;
}

/** Builds a role's configuration: the kernel's settings plus its modules'. */
export interface ConfigOptions extends LoadOptions {
  settings: readonly SettingDef[];
}

export function flagName(key: string): string {
  return `--${key.replace(/\./g, '-').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function parseValue(def: SettingDef, raw: unknown, source: string): unknown {
  if (raw === undefined) return undefined;
  switch (def.type) {
    case 'string':
      if (typeof raw !== 'string') throw new ConfigInvalid(def.key, source, 'a string');
      {
        const expected = def.check?.(raw);
        if (expected) throw new ConfigInvalid(def.key, source, expected, `got ${JSON.stringify(raw)}`);
      }
      return raw;
    case 'integer': {
      const n =
        typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isInteger(n)) throw new ConfigInvalid(def.key, source, 'a whole number');
      if (def.min !== undefined && n < def.min)
        throw new ConfigInvalid(def.key, source, `at least ${def.min}`);
      if (def.max !== undefined && n > def.max)
        throw new ConfigInvalid(def.key, source, `at most ${def.max}`);
      return n;
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      if (raw === 'false' || raw === '0' || raw === 'no') return false;
      throw new ConfigInvalid(def.key, source, 'true or false');
    case 'enum':
      if (typeof raw !== 'string' || !def.values?.includes(raw))
        throw new ConfigInvalid(def.key, source, `one of ${def.values?.join(', ')}`);
      return raw;
  }
}

function getPath(obj: unknown, key: string): unknown {
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

function readConfigFile(path: string, required: boolean): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigInvalid('config', path, 'a readable JSON file', (err as Error).message);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigInvalid('config', path, 'valid JSON', (err as Error).message);
  }
}

/** Builds the one validated configuration object. */
export function loadConfig(opts: ConfigOptions): Config {
  const settings = opts.settings;
  const flags = opts.flags ?? {};
  const env = opts.env ?? {};
  const overrides = opts.overrides ?? {};
  const known = new Set(settings.map((s) => flagName(s.key)).concat('--config'));
  for (const f of Object.keys(flags)) {
    if (!known.has(f)) throw new ConfigInvalid(f, 'command line', 'a known flag (see docs/config.md)');
  }
  const homeRaw =
    (flags['--home'] as string | undefined) ??
    (overrides.home as string | undefined) ??
    env.MERIDIAN_HOME ??
    './data';
  const explicitFile = (flags['--config'] as string | undefined) ?? env.MERIDIAN_CONFIG;
  const file = readConfigFile(
    explicitFile ?? join(resolve(homeRaw), 'meridian.json'),
    explicitFile !== undefined,
  );
  const out: Record<string, unknown> = {};
  for (const def of settings) {
    const candidates: [unknown, string][] = [
      [overrides[def.key], 'override'],
      [flags[flagName(def.key)], `flag ${flagName(def.key)}`],
      [env[def.env], `environment ${def.env}`],
      [getPath(file, def.key), `config file key ${def.key}`],
    ];
    let value: unknown = def.default;
    for (const [raw, source] of candidates) {
      if (raw !== undefined && raw !== '') {
        value = parseValue(def, raw, source);
        break;
      }
    }
    setPath(out, def.key, value);
  }
  const config = out as unknown as Config;
  config.home = resolve(config.home);
  return config;
}

/** Settings whose value is unsafe; production mode refuses them, development logs them. */
export function insecureSettings(config: Config, settings: readonly SettingDef[]): string[] {
  return settings
    .filter((def) => def.insecureWhen?.(getPath(config, def.key)))
    .map((def) => `${def.key} (${def.env})`);
}

/** The single reader of process.env and process.argv flags. */
export function loadFromProcess(
  flags: Record<string, string | boolean>,
  settings: readonly SettingDef[],
): Config {
  return loadConfig({ flags, env: process.env, settings });
}
