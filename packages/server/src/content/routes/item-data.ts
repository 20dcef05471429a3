import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { storedFilePath } from '../item-files.ts';
import type { ItemRow } from '../item-json.ts';

/** attachment; filename="ascii"; filename*=UTF-8''percent-encoded (RFC 6266 / 5987). */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function isJson(text: string): boolean {
  const t = text.trimStart();
  if (!t.startsWith('{') && !t.startsWith('[')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Sends an item's data: text as stored (JSON content type when it is JSON), a file as a
 * download that the browser never renders in the portal's origin; no data: an empty body
 * (what ArcGIS answers and arcgis-rest-js expects).
 */
export function sendItemData(reply: FastifyReply, filesDir: string, row: ItemRow): FastifyReply {
  reply.header('X-Content-Type-Options', 'nosniff');
  if (row.data_kind === 'text' && row.data_text !== null) {
    return reply
      .type(isJson(row.data_text) ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8')
      .send(row.data_text);
  }
  if (row.data_kind === 'file' && row.file_key) {
    return reply
      .header('Content-Disposition', contentDisposition(row.file_name ?? 'file'))
      .header('Content-Security-Policy', "sandbox; default-src 'none'")
      .header('Content-Length', String(row.size))
      .type(row.file_type ?? 'application/octet-stream')
      .send(createReadStream(storedFilePath(filesDir, row.file_key)));
  }
  return reply.type('application/json').send('');
}
