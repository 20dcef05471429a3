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

export const PortUnavailable = defineError({
  code: 'config.port_unavailable',
  status: 500,
  summary: 'The portal cannot listen on a configured port.',
  fix: 'Stop the program that uses the port, or choose another one (--https-port, --http-port; see docs/config.md).',
});

/** A listener's failure (port in use, not allowed) as one line naming the port and its setting. */
export function listenError(err: unknown, setting: string, port: number, bind: string): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EADDRINUSE'
      ? 'is already in use'
      : code === 'EACCES'
        ? 'needs privileges this process does not have'
        : code === 'EADDRNOTAVAIL'
          ? `cannot be opened: ${bind} is not an address of this machine (setting bind)`
          : undefined;
  if (!why) return err;
  return new MeridianError(
    PortUnavailable,
    `Port ${port} (${setting}) on ${bind} ${why}. Stop the program that uses it, or choose another port with --${setting.replace('.', '-')}.`,
    { cause: err },
  );
}
