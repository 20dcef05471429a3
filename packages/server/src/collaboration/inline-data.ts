/**
 * Small copies travel inline: a data file of at most INLINE_MAX_BYTES goes base64 in its
 * change, beside its SHA-256 (in the host's feed and in a guest's push alike), so it costs no
 * call of its own; a larger file keeps the chunked, resumable path (partnerData,
 * partnerUpload). A text item's text travels in its change up to the same size, else as a file
 * (kind textFile). A batch of changes stays within a byte budget — the feed's answer well under
 * what the partner client reads, a push well under the host's request body limit — and ends
 * early (more) rather than split a change. The receiver checks the bytes against the SHA-256
 * and writes them as a checked partial file (partials.ts writeComplete), so applying a change
 * is the same whichever way its bytes came.
 */
import { createHash } from 'node:crypto';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { CollaborationDataMismatch } from './errors.ts';
import type { WireChange } from './outgoing.ts';
import { writeComplete } from './partials.ts';
import { MAX_ANSWER } from './partner-http.ts';

/** The largest data file (or text) a change carries itself. */
export const INLINE_MAX_BYTES = 64 * 1024;
/** Base64 characters of INLINE_MAX_BYTES. */
export const INLINE_MAX_CHARS = Math.ceil(INLINE_MAX_BYTES / 3) * 4;

/** How much of a call one batch of changes may take, and what a change costs of it. */
export interface Budget {
  bytes: number;
  cost(change: WireChange): number;
}

/** The feed's answer (partnerChanges): its changes' JSON within 3/4 of what a partner reads (MAX_ANSWER). */
export const FEED_BUDGET: Budget = {
  bytes: (3 * MAX_ANSWER) / 4,
  cost: (c) => Buffer.byteLength(JSON.stringify(c)) + 1,
};

/**
 * A push (partnerApply): its changes form-encoded within 1 MiB — the route takes 1.5 million
 * characters of `changes`, and a request body of body.maxBytes (2 MiB by default).
 */
export const PUSH_BUDGET: Budget = {
  bytes: 1024 * 1024,
  cost: (c) => new URLSearchParams([['', JSON.stringify(c)]]).toString().length,
};

/** A change's data carried inline, if any: its SHA-256, size and base64 bytes. */
function inlineOf(change: WireChange): { sha256: string; size: number; inline: string } | undefined {
  const d = change.op === 'upsert' && change.as === 'copy' ? change.item?.data : undefined;
  return d?.kind === 'file' && d.inline !== undefined
    ? { sha256: d.sha256, size: d.size, inline: d.inline }
    : undefined;
}

/**
 * The inline bytes of a change, checked: their size and SHA-256 are the announced ones, else
 * collaboration.data_checksum_mismatch naming the item.
 */
export function inlineBytes(change: WireChange): Buffer | undefined {
  const d = inlineOf(change);
  if (!d) return undefined;
  const bytes = Buffer.from(d.inline, 'base64');
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== d.size || actual !== d.sha256)
    throw new MeridianError(
      CollaborationDataMismatch,
      `The inline data of item ${change.originItemId} (${bytes.length} bytes, SHA-256 ${actual}) is not the announced ${d.size} bytes with SHA-256 ${d.sha256}: it was refused. ${CollaborationDataMismatch.fix}`,
    );
  return bytes;
}

/** Writes a change's checked inline data as a checked partial file; answers the bytes written (0: none, or here already). */
export async function receiveInline(dir: string, change: WireChange): Promise<number> {
  const bytes = inlineBytes(change);
  if (!bytes) return 0;
  const written = await writeComplete(dir, inlineOf(change)!.sha256, bytes, `item ${change.originItemId}`);
  return written ? bytes.length : 0;
}

/**
 * The inline data of a batch (a guest's push): every change's bytes checked before any is
 * written, so that a wrong one refuses the batch with nothing of it kept.
 */
export async function receiveAllInline(dir: string, changes: readonly WireChange[]): Promise<void> {
  for (const c of changes) inlineBytes(c);
  for (const c of changes) await receiveInline(dir, c);
}
