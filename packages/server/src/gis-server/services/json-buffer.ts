/**
 * A query answer's JSON as one Buffer, written a few dozen features at a time: the same bytes
 * as JSON.stringify(body), without ever holding the whole answer as one string. A page of
 * 1,000 features is ~170 KB of text: as one string it lives in V8's large-object space until
 * the next full collection (tens of MB under load); as small strings and a Buffer it is freed
 * by the young generation's collections.
 */

/** Features per piece (each piece ~10 KB of text: a young-generation string). */
const PIECE = 64;

export function jsonBuffer(body: Record<string, unknown>): Buffer {
  const features = body.features;
  if (!Array.isArray(features) || features.length <= PIECE) return Buffer.from(JSON.stringify(body));
  // The answer with an empty features array, split where the features go.
  const outer = JSON.stringify({ ...body, features: [] });
  const at = outer.indexOf('"features":[]');
  if (at < 0 || outer.indexOf('"features":[]', at + 1) >= 0) return Buffer.from(JSON.stringify(body));
  const parts: Buffer[] = [Buffer.from(outer.slice(0, at + '"features":['.length))];
  for (let i = 0; i < features.length; i += PIECE) {
    const text = JSON.stringify(features.slice(i, i + PIECE));
    parts.push(Buffer.from(i === 0 ? text.slice(1, -1) : `,${text.slice(1, -1)}`));
  }
  parts.push(Buffer.from(outer.slice(at + '"features":['.length)));
  return Buffer.concat(parts);
}
