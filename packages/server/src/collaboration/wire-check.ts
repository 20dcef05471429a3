/**
 * Checks of the changes a partner sends (the host's feed a guest pulls, a guest's partnerApply):
 * their shape, before anything is applied — inline data base64 of at most INLINE_MAX_BYTES
 * whose decoded size is the announced one, an inline text of at most as many bytes, SHA-256
 * digests of 64 hexadecimal digits.
 */
import { INLINE_MAX_BYTES, INLINE_MAX_CHARS } from './inline-data.ts';
import { invalid } from './input.ts';
import type { WireChange, WireData } from './outgoing.ts';

const str = (v: unknown, what: string, max = 10_000): string => {
  if (typeof v !== 'string' || v.length > max)
    throw invalid(`${what} must be a string of at most ${max} characters.`);
  return v;
};
const strs = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v) || v.length > 1000) throw invalid(`${what} must be a list of strings.`);
  return v.map((s, i) => str(s, `${what}[${i}]`, 1000));
};
const num = (v: unknown, what: string): number => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalid(`${what} must be a number ≥ 0.`);
  return v;
};

const digest = (v: unknown, what: string): string => {
  const sha256 = str(v, what, 64);
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw invalid(`${what} must be 64 hexadecimal digits.`);
  return sha256;
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A small file's bytes in its change: base64 of exactly `size` bytes, at most INLINE_MAX_BYTES. */
function inline(v: unknown, size: number, what: string): string {
  const b64 = str(v, what, INLINE_MAX_CHARS);
  if (!BASE64.test(b64)) throw invalid(`${what} must be base64.`);
  const bytes = (b64.length / 4) * 3 - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  if (bytes !== size) throw invalid(`${what} holds ${bytes} bytes, not the announced size of ${size}.`);
  return b64;
}

function data(v: unknown, what: string): WireData {
  const d = (v ?? {}) as Record<string, unknown>;
  if (d.kind === 'none') return { kind: 'none' };
  if (d.kind === 'text') {
    const text = str(d.text, `${what}.text`, INLINE_MAX_BYTES);
    if (Buffer.byteLength(text) > INLINE_MAX_BYTES)
      throw invalid(
        `${what}.text must be at most ${INLINE_MAX_BYTES} bytes (a longer text travels as textFile).`,
      );
    return { kind: 'text', text };
  }
  if (d.kind === 'textFile')
    return {
      kind: 'textFile',
      size: num(d.size, `${what}.size`),
      sha256: digest(d.sha256, `${what}.sha256`),
    };
  if (d.kind === 'file' || d.kind === 'features') {
    const sha256 = digest(d.sha256, `${what}.sha256`);
    const file = { name: str(d.name, `${what}.name`, 400), size: num(d.size, `${what}.size`), sha256 };
    if (d.kind === 'file')
      return {
        kind: 'file',
        ...file,
        contentType: str(d.contentType, `${what}.contentType`, 200),
        ...(d.inline === undefined ? {} : { inline: inline(d.inline, file.size, `${what}.inline`) }),
      };
    if (typeof d.byRefIfFail !== 'boolean') throw invalid(`${what}.byRefIfFail must be true or false.`);
    return { kind: 'features', ...file, byRefIfFail: d.byRefIfFail };
  }
  throw invalid(`${what}.kind must be file, features, text, textFile or none.`);
}

/** The `changes` field of partnerApply: a JSON list of changes. */
export function parseWireChanges(text: string): WireChange[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid("'changes' is not JSON.");
  }
  return checkWireChanges(v);
}

/** A list of changes as it arrived (partnerApply's, or the feed's `changes`), checked. */
export function checkWireChanges(v: unknown): WireChange[] {
  if (!Array.isArray(v) || v.length > 1000)
    throw invalid("'changes' must be a list of at most 1000 changes.");
  return v.map((c: Record<string, unknown>, i) => {
    const what = `changes[${i}]`;
    const originItemId = str(c?.originItemId, `${what}.originItemId`, 64);
    const seq = num(c.seq, `${what}.seq`);
    if (c.op === 'remove') return { seq, originItemId, op: 'remove' as const };
    if (c.op !== 'upsert') throw invalid(`${what}.op must be upsert or remove.`);
    if (c.as !== 'copy' && c.as !== 'reference') throw invalid(`${what}.as must be copy or reference.`);
    const it = (c.item ?? {}) as Record<string, unknown>;
    return {
      seq,
      originItemId,
      op: 'upsert' as const,
      as: c.as,
      item: {
        title: str(it.title, `${what}.item.title`, 400),
        type: str(it.type, `${what}.item.type`, 200),
        typeKeywords: strs(it.typeKeywords, `${what}.item.typeKeywords`),
        description: str(it.description, `${what}.item.description`, 100_000),
        snippet: str(it.snippet, `${what}.item.snippet`, 2000),
        tags: strs(it.tags, `${what}.item.tags`),
        url: it.url === null ? null : str(it.url, `${what}.item.url`, 2000),
        modified: num(it.modified, `${what}.item.modified`),
        originUrl: str(it.originUrl, `${what}.item.originUrl`, 2000),
        data: data(it.data, `${what}.item.data`),
      },
    };
  });
}
