import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { notFound } from '../item-access.ts';
import { storedFilePath } from '../item-files.ts';
import type { ItemRow } from '../item-json.ts';
import { thumbnailContentType } from '../item-thumbnail.ts';

/** Sends an item's thumbnail, as an image the browser never treats as a document. */
export function sendThumbnail(
  reply: FastifyReply,
  filesDir: string,
  row: ItemRow,
  name: string,
): FastifyReply {
  if (!row.thumbnail_key || row.thumbnail_name !== name) throw notFound();
  return reply
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "sandbox; default-src 'none'")
    .header('Cache-Control', 'private, max-age=60')
    .type(thumbnailContentType(name))
    .send(createReadStream(storedFilePath(filesDir, row.thumbnail_key)));
}
