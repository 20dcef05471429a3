/**
 * A mistake in how a command was called (a missing argument, an unknown option, two options
 * that exclude each other): printed as it is, without a stack trace; exit code 2.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
