import { defineError, MeridianError } from '../errors/meridian-error.ts';

export const DatabaseUnavailable = defineError({
  code: 'db.unavailable',
  status: 503,
  summary: 'The database cannot be reached (restarting, failing over, or the network is down).',
  fix: 'Try again in a few seconds; the node reconnects by itself. If it lasts, check that PostgreSQL is running and reachable at database.url.',
});

/** SQLSTATE classes and codes that mean the connection, not the query, failed. */
const CONNECTION_STATES = /^(08|57P0[1-3]|53300)/;
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|terminating connection due to administrator command|Client has encountered a connection error|Connection terminated due to connection timeout|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)/i;

/** True when a database call failed because the server could not be reached or dropped us. */
export function isConnectionFailure(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined;
  if (!e) return false;
  if (typeof e.code === 'string' && (CONNECTION_STATES.test(e.code) || CONNECTION_CODES.has(e.code)))
    return true;
  return typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message);
}

export function databaseUnavailable(cause: unknown): MeridianError {
  return new MeridianError(DatabaseUnavailable, undefined, { cause });
}
