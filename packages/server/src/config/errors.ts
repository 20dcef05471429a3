import { defineError, MeridianError } from '../errors/meridian-error.ts';

const ConfigInvalidSpec = defineError({
  code: 'config.invalid',
  status: 500,
  summary: 'A configuration value is invalid.',
  fix: 'Correct the flag, environment variable or config file key named in the message (see docs/config.md).',
});

export class ConfigInvalid extends MeridianError {
  constructor(key: string, source: string, expected: string, detail?: string) {
    super(
      ConfigInvalidSpec,
      `Setting ${key} from ${source} must be ${expected}.${detail ? ` (${detail})` : ''}`,
    );
  }
}

export const ConfigInsecure = defineError({
  code: 'config.insecure_in_production',
  status: 500,
  summary: 'An insecure setting is enabled while mode is production.',
  fix: 'Turn the named setting off, or run in development mode if this is not a production portal.',
});
