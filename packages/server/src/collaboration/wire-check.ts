/** Checks of the changes a partner sends (partnerApply): their shape, before anything is applied. */
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

function data(v: unknown, what: string): WireData {
  const d = (v ?? {}) as Record<string, unknown>;
  if (d.kind === 'none') return { kind: 'none' };
  if (d.kind === 'text') return { kind: 'text', text: str(d.text, `${what}.text`, 10_000_000) };
  if (d.kind === 'file' || d.kind === 'features') {
    const sha256 = str(d.sha256, `${what}.sha256`, 64);
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw invalid(`${what}.sha256 must be 64 hexadecimal digits.`);
    const file = { name: str(d.name, `${what}.name`, 400), size: num(d.size, `${what}.size`), sha256 };
    if (d.kind === 'file')
      return { kind: 'file', ...file, contentType: str(d.contentType, `${what}.contentType`, 200) };
    if (typeof d.byRefIfFail !== 'boolean') throw invalid(`${what}.byRefIfFail must be true or false.`);
    return { kind: 'features', ...file, byRefIfFail: d.byRefIfFail };
  }
  throw invalid(`${what}.kind must be file, features, text or none.`);
}

/** The `changes` field of partnerApply: a JSON list of changes. */
export function parseWireChanges(text: string): WireChange[] {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalid("'changes' is not JSON.");
  }
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
