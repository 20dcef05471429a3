/**
 * The bytes a copy of an item carries when they travel chunk by chunk (partnerData read by a
 * guest, partnerUpload sent by one): its data file, its service's features export, or its
 * text (a text too large to travel inline, inline-data.ts).
 */
import type { SyncItem } from '../content/module.ts';
import type { CollaborationContext } from './context.ts';
import { copyDataFile } from './feature-copies.ts';
import { readChunk } from './partials.ts';

export interface CopySource {
  size: number;
  /** At most `length` bytes from `offset`. */
  read(offset: number, length: number): Promise<Buffer>;
}

export async function copySource(
  ctx: CollaborationContext,
  item: SyncItem,
  copyFeatureServiceData: boolean,
): Promise<CopySource | undefined> {
  if (item.data.kind === 'text') {
    const bytes = Buffer.from(item.data.text);
    return { size: bytes.length, read: async (offset, length) => bytes.subarray(offset, offset + length) };
  }
  const file = await copyDataFile(ctx, item, copyFeatureServiceData);
  return file && { size: file.size, read: (offset, length) => readChunk(file.path, offset, length) };
}
