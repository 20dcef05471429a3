import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MultipartFile, MultipartValue } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { BadRequest, PayloadTooLarge } from '../errors/common.ts';
import { MeridianError } from '../errors/meridian-error.ts';
import { isUploadedFile, type UploadedFile } from './uploaded-file.ts';

/** Streams an uploaded file part to <home>/tmp, never into memory. Used as multipart's onFile. */
export function makeOnFile(tmpDir: string) {
  return async function onFile(this: FastifyRequest, part: MultipartFile): Promise<void> {
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const tempPath = join(tmpDir, `upload-${randomUUID()}`);
    await pipeline(part.file, createWriteStream(tempPath, { mode: 0o600 }));
    const uploaded: UploadedFile = {
      kind: 'file',
      filename: part.filename,
      mimetype: part.mimetype,
      tempPath,
      size: part.file.bytesRead,
    };
    if (part.file.truncated) {
      await unlink(tempPath).catch(() => {});
      throw new MeridianError(
        PayloadTooLarge,
        `The file '${part.filename}' is larger than the upload limit.`,
      );
    }
    (part as unknown as { value: unknown }).value = uploaded;
    this.uploadedFiles ??= [];
    this.uploadedFiles.push(uploaded);
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    uploadedFiles?: UploadedFile[];
  }
}

function flattenBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new MeridianError(BadRequest, 'The request body must be form fields or a JSON object.');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    // @fastify/multipart with attachFieldsToBody puts {type:'field', value} objects here.
    if (v && typeof v === 'object' && 'fieldname' in (v as object)) {
      const part = v as MultipartValue<unknown>;
      out[k] = isUploadedFile(part.value) ? part.value : part.value;
    } else if (Array.isArray(v)) {
      throw new MeridianError(BadRequest, `Parameter '${k}' was sent more than once.`);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** preHandler: request.args = query parameters overlaid with body parameters. */
export async function mergeArgs(req: FastifyRequest): Promise<void> {
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) throw new MeridianError(BadRequest, `Parameter '${k}' was sent more than once.`);
  }
  req.args = { ...query, ...flattenBody(req.body) };
}

/** onResponse: temporary upload files that no handler moved are removed. */
export async function cleanUploads(req: FastifyRequest): Promise<void> {
  for (const f of req.uploadedFiles ?? []) await unlink(f.tempPath).catch(() => {});
}
