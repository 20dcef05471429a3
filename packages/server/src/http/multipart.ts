import type { Readable } from 'node:stream';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { BadRequest, PayloadTooLarge } from '../kernel/errors/common.ts';
import { MeridianError } from '../kernel/errors/meridian-error.ts';
import { TokenRequired } from './require-caller.ts';
import type { UploadBudget } from './upload-budget.ts';
import { saveUpload, UploadedFile, UploadTooLarge } from './uploaded-file.ts';

export interface MultipartLimits {
  /** Largest file part, in bytes (uploads.maxBytes). */
  fileBytes: number;
  /** Largest text field, and all text fields together, in bytes (body.maxBytes). */
  fieldBytes: number;
  /** Largest file held in memory while the caller is not known yet (uploads.preAuthMaxBytes). */
  preAuthBytes: number;
  files: number;
  fields: number;
}

export interface MultipartOptions {
  /** The file parts this route takes; any other file part is refused before it is read. */
  fileFields: ReadonlySet<string>;
  limits: MultipartLimits;
  tmpDir: string;
  /** Memory held for file parts that arrive before the caller is known, across requests. */
  budget: UploadBudget;
  /**
   * Decides, from the text fields read so far, whether file parts may be written to disk:
   * true when the caller is known and may use this route, false when no credential has been
   * presented yet; throws when the credential is invalid or the caller may not.
   */
  admit(fields: Record<string, string>): Promise<boolean>;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

/** A file part read into memory because the caller was not known when it began. */
interface HeldFile {
  fieldname: string;
  filename: string;
  mimetype: string;
  chunks: Buffer[];
  bytes: number;
}

function tooLarge(message: string): MeridianError {
  return new MeridianError(PayloadTooLarge, message);
}

function fieldValue(part: Multipart & { value?: unknown }): string {
  // @fastify/multipart parses fields declared application/json; Meridian takes every field as
  // text, so that no field can ever be more than a string.
  const v = part.value;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Maps the parser's own errors (limits, truncated bodies) into the catalogue. */
function parserError(err: unknown, limits: MultipartLimits): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'FST_FILES_LIMIT')
    return tooLarge(`The request has more than ${limits.files} file parts; send at most ${limits.files}.`);
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT')
    return tooLarge(`The request has more than ${limits.fields} fields.`);
  if (code === 'FST_MP_PREMATURE_CLOSE')
    return new MeridianError(BadRequest, 'The request ended before its multipart body was complete.');
  if (code === 'FST_PROTO_VIOLATION')
    return new MeridianError(BadRequest, 'A multipart field name is not allowed.');
  return err;
}

async function hold(part: MultipartFile, limit: number, budget: UploadBudget): Promise<HeldFile> {
  const held: HeldFile = { ...meta(part), chunks: [], bytes: 0 };
  try {
    for await (const chunk of part.file as AsyncIterable<Buffer>) {
      if (held.bytes + chunk.length > limit)
        throw new MeridianError(
          TokenRequired,
          `Token Required: the file '${part.filename}' arrived before the request's token and is larger than the ${limit} bytes the portal holds for a caller it does not know yet. Send the token first: in an Authorization: Bearer (or X-Esri-Authorization) header, or as a form field before the file.`,
        );
      budget.take(chunk.length);
      held.bytes += chunk.length;
      held.chunks.push(chunk);
    }
  } catch (err) {
    budget.give(held.bytes);
    throw err;
  }
  return held;
}

function meta(p: { fieldname: string; filename: string; mimetype: string }) {
  return { fieldname: p.fieldname, filename: p.filename, mimetype: p.mimetype };
}

/**
 * Reads a multipart/form-data body. Text fields are kept as strings (never parsed). A file
 * part is written to disk only once admit() has said the caller is known and may use the
 * route; before that (the token comes after the file, as arcgis-rest-js sends it) it is held
 * in memory within limits, and written after the token verifies. Whatever goes wrong — a
 * limit, a disconnect, a body without its closing boundary, a refused caller — every file
 * already written is removed before the error propagates.
 */
export async function readMultipart(req: FastifyRequest, opts: MultipartOptions): Promise<MultipartBody> {
  const { limits } = opts;
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const held: HeldFile[] = [];
  let fieldBytes = 0;
  let admitted: boolean | undefined;
  let heldBytes = 0;
  try {
    const parts = req.parts({
      limits: {
        // One byte more than allowed, so that saveUpload sees the excess and refuses it.
        fileSize: limits.fileBytes + 1,
        fieldSize: limits.fieldBytes,
        files: limits.files,
        fields: limits.fields,
        parts: limits.files + limits.fields,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.valueTruncated || part.fieldnameTruncated)
          throw tooLarge(
            `The field '${part.fieldname}' is larger than ${limits.fieldBytes} bytes (body.maxBytes); nothing was stored.`,
          );
        const value = fieldValue(part);
        fieldBytes += Buffer.byteLength(value);
        if (fieldBytes > limits.fieldBytes)
          throw tooLarge(
            `The text fields of this request add up to more than ${limits.fieldBytes} bytes (body.maxBytes); nothing was stored.`,
          );
        if (Object.hasOwn(fields, part.fieldname) || files.has(part.fieldname))
          throw new MeridianError(BadRequest, `Parameter '${part.fieldname}' was sent more than once.`);
        fields[part.fieldname] = value;
        continue;
      }
      const file = part as MultipartFile;
      if (!opts.fileFields.has(file.fieldname)) {
        file.file.resume();
        throw new MeridianError(
          BadRequest,
          opts.fileFields.size
            ? `'${file.fieldname}' is not a file parameter of this resource; it takes ${[...opts.fileFields].map((f) => `'${f}'`).join(', ')}.`
            : `This resource takes no files, but the request has the file part '${file.fieldname}'.`,
        );
      }
      if (files.has(file.fieldname) || held.some((h) => h.fieldname === file.fieldname))
        throw new MeridianError(BadRequest, `The file '${file.fieldname}' was sent more than once.`);
      if (admitted !== true) admitted = await opts.admit(fields);
      if (admitted) {
        files.set(file.fieldname, await save(file.file, file, file.file));
      } else {
        const h = await hold(file, limits.preAuthBytes - heldBytes, opts.budget);
        heldBytes += h.bytes;
        held.push(h);
      }
    }
    if (held.length) {
      if (!(await opts.admit(fields)))
        throw new MeridianError(
          TokenRequired,
          'Token Required: sign in and send the token with the file (Authorization: Bearer header or a token field).',
        );
      for (const h of held) {
        files.set(h.fieldname, await save(h.chunks, h));
        opts.budget.give(h.bytes);
        h.chunks = [];
        h.bytes = 0;
      }
    }
    return { fields, files };
  } catch (err) {
    for (const f of files.values()) await f.discard();
    throw parserError(err, limits);
  } finally {
    for (const h of held) opts.budget.give(h.bytes);
  }

  async function save(
    source: Readable | Buffer[],
    p: { fieldname: string; filename: string; mimetype: string },
    stream?: Readable & { truncated?: boolean },
  ): Promise<UploadedFile> {
    try {
      const saved = await saveUpload(source, opts.tmpDir, meta(p), limits.fileBytes);
      if (stream?.truncated) {
        await saved.discard();
        throw new UploadTooLarge(p.filename);
      }
      return saved;
    } catch (err) {
      if (err instanceof UploadTooLarge)
        throw tooLarge(
          `The file '${p.filename}' is larger than ${limits.fileBytes} bytes (uploads.maxBytes); nothing was stored.`,
        );
      throw err;
    }
  }
}

export { UploadedFile };
