/**
 * Files the user names on the command line: relative to the directory they ran the command
 * in, and a failure is one line naming the file and the reason (exit code 1).
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** A file the user named cannot be read or written: printed as one line, exit code 1. */
export class CliFileError extends Error {
  override name = 'CliFileError';
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EEXIST: 'a file of that name is in the way',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

const VERBS: Record<string, string> = {
  open: 'open',
  read: 'read',
  write: 'write',
  mkdir: 'create the directory',
  scandir: 'list',
  unlink: 'delete',
  rename: 'rename',
  stat: 'find',
  lstat: 'find',
  access: 'find',
};

/** The one-line description of a file system error, or undefined for any other error. */
export function fileErrorLine(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e.code !== 'string' || typeof e.path !== 'string' || !(e.code in REASONS))
    return undefined;
  return `cannot ${VERBS[e.syscall ?? ''] ?? 'use'} ${e.path}: ${REASONS[e.code]}`;
}

function failure(action: 'read' | 'write', given: string, path: string, err: unknown): CliFileError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const where = given === path ? path : `'${given}' (${path})`;
  return new CliFileError(`cannot ${action} ${where}: ${REASONS[code] ?? (err as Error).message}`, {
    cause: err,
  });
}

/** Reads a file the user named on the command line (relative to `cwd`, their directory). */
export function readUserFile(ctx: { cwd: string }, given: string): Buffer {
  const path = resolve(ctx.cwd, given);
  try {
    return readFileSync(path);
  } catch (err) {
    throw failure('read', given, path, err);
  }
}

/**
 * The full path of a file the user named, for a command that streams it rather than reading
 * it at once: it must exist, be readable and be a file.
 */
export function readableUserFile(ctx: { cwd: string }, given: string): string {
  const path = resolve(ctx.cwd, given);
  try {
    accessSync(path, constants.R_OK);
    if (statSync(path).isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw failure('read', given, path, err);
  }
  return path;
}

/** Writes a file the user named on the command line (relative to `cwd`); returns its full path. */
export function writeUserFile(ctx: { cwd: string }, given: string, data: string | Uint8Array): string {
  const path = resolve(ctx.cwd, given);
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw failure('write', given, path, err);
  }
  return path;
}
