/**
 * A setting: its key, environment variable, type, default and description. The configuration
 * reference in docs/config.md is generated from the settings of every role (npm run docs). A
 * setting is read, in order of precedence, from a command-line flag, the environment, the
 * config file (`<home>/meridian.json` or --config), then its default.
 */
export type SettingType = 'string' | 'integer' | 'boolean' | 'enum';

export interface SettingDef {
  key: string;
  env: string;
  type: SettingType;
  default: string | number | boolean | undefined;
  description: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Never logged, never echoed back. */
  secret?: boolean;
  /** For a string: what the value must be, when it is not (undefined: it is fine). */
  check?: (value: string) => string | undefined;
  /** A value that is unsafe in production; production mode refuses to start with it. */
  insecureWhen?: (value: unknown) => boolean;
}
