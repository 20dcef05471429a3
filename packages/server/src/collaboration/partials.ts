/**
 * Data files in transfer between partners, named by their SHA-256 in the partials directory
 * (shared by a portal's nodes, beside the file store): <sha>.part grows chunk by chunk from
 * the offset it has reached, so an interrupted transfer continues where it stopped; once all
 * bytes are there its SHA-256 is checked and it becomes <sha>.ok, or it is discarded and the
 * transfer restarts cleanly. A small file that arrives whole (inline in a change) is checked
 * first and becomes <sha>.ok at once. Content-addressed: the same data is never held twice.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { CollaborationDataMismatch } from './errors.ts';
import { invalid } from './input.ts';

const SHA = /^[0-9a-f]{64}$/;

function paths(dir: string, sha: string) {
  if (!SHA.test(sha)) throw invalid("'sha256' must be 64 hexadecimal digits.");
  return { part: join(dir, `${sha}.part`), ok: join(dir, `${sha}.ok`) };
}

const sizeOf = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => undefined,
  );

/** SHA-256 (hex) of a file, read as a stream. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** How much of the file has arrived, and whether it is complete and checked. */
export async function partialState(
  dir: string,
  sha: string,
): Promise<{ received: number; complete: boolean }> {
  const p = paths(dir, sha);
  const ok = await sizeOf(p.ok);
  if (ok !== undefined) return { received: ok, complete: true };
  return { received: (await sizeOf(p.part)) ?? 0, complete: false };
}

/**
 * Appends a chunk at `offset`. An offset other than what has arrived changes nothing (the
 * answer says where to continue); the last chunk checks the SHA-256 (a mismatch discards
 * the file: collaboration.data_checksum_mismatch).
 */
export async function appendChunk(
  dir: string,
  sha: string,
  size: number,
  offset: number,
  bytes: Buffer,
): Promise<{ received: number; complete: boolean }> {
  const p = paths(dir, sha);
  const state = await partialState(dir, sha);
  if (state.complete || offset !== state.received) return state;
  if (offset + bytes.length > size) {
    await unlink(p.part).catch(() => {});
    throw new MeridianError(
      CollaborationDataMismatch,
      `A chunk runs past the announced size of ${size} bytes: the partial file was discarded. ${CollaborationDataMismatch.fix}`,
    );
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await appendFile(p.part, bytes);
  const received = offset + bytes.length;
  if (received < size) return { received, complete: false };
  return { received, complete: await finish(dir, sha) };
}

/**
 * A whole file that arrived at once (a small copy's bytes inline in its change): checked
 * against its SHA-256 (a mismatch writes nothing: collaboration.data_checksum_mismatch naming
 * `what`), then written as <sha>.ok the way a chunked transfer ends — through a temporary name
 * (<sha>.<time>.<rand>, a leftover the sweep removes) renamed, so a kill leaves the checked
 * file or none. Answers false when the checked file was here already.
 */
export async function writeComplete(dir: string, sha: string, bytes: Buffer, what: string): Promise<boolean> {
  const p = paths(dir, sha);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha)
    throw new MeridianError(
      CollaborationDataMismatch,
      `The data of ${what} has the SHA-256 ${actual}, not the announced ${sha}: it was refused. ${CollaborationDataMismatch.fix}`,
    );
  if ((await sizeOf(p.ok)) !== undefined) return false;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${sha}.${Date.now()}.${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, p.ok);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  // A chunked transfer of the same bytes that stopped midway is not needed any more.
  await unlink(p.part).catch(() => {});
  return true;
}

/** Checks a fully arrived partial file: renamed <sha>.ok, or discarded (throws). */
async function finish(dir: string, sha: string): Promise<boolean> {
  const p = paths(dir, sha);
  const actual = await fileSha256(p.part);
  if (actual !== sha) {
    await unlink(p.part).catch(() => {});
    throw new MeridianError(
      CollaborationDataMismatch,
      `The received file's SHA-256 is ${actual}, not the announced ${sha}: it was discarded. ${CollaborationDataMismatch.fix}`,
    );
  }
  await rename(p.part, p.ok);
  return true;
}

/** The checked file's path, or undefined when it has not fully arrived. */
export async function completePath(dir: string, sha: string): Promise<string | undefined> {
  const p = paths(dir, sha);
  return (await sizeOf(p.ok)) !== undefined ? p.ok : undefined;
}

/** Reads `length` bytes of a file from `offset`. */
export async function readChunk(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
