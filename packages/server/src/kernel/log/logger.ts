import type { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';
import { logSerializers } from './log-safe.ts';

export type { Logger };

/** How a caller may shape the logger: off, or a level and a destination (tests capture it). */
export type LoggerOptions = false | { level?: string; stream?: Writable };

/**
 * The process's one logger, created before anything else starts (the change bus, TLS reloads,
 * renewals and jobs log through it; Fastify uses it for requests). Tokens, cookies and
 * passwords never reach it: header values are redacted, URLs go through redactUrl.
 */
export function createLogger(level: string, opts: LoggerOptions = {}): Logger {
  if (opts === false) return pino({ enabled: false });
  const options = {
    level: opts.level ?? level,
    serializers: logSerializers,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-esri-authorization"]'],
  };
  return opts.stream ? pino(options, opts.stream) : pino(options);
}
