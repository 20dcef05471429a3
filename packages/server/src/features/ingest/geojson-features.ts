/**
 * Streams the features of a GeoJSON FeatureCollection without holding the file: a byte-level
 * scanner follows strings and nesting, cuts out each element of the top-level "features"
 * array and parses only that element. Yields the parsed features chunk by chunk.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { BadGeojson } from './errors.ts';
import { featureLabel } from './feature-label.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

/** A feature or other element of the features array bigger than this is refused. */
const MAX_ELEMENT_BYTES = 256 * 1024 * 1024;

function bad(message: string): never {
  throw new MeridianError(BadGeojson, message);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export async function* geojsonFeatures(source: AsyncIterable<Buffer | string>): AsyncGenerator<unknown[]> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  // Top level: the key being read, the last key, and whether the value is the features array.
  let keyStart = -1;
  let keyParts: Buffer[] = [];
  let lastKey = '';
  let expectKey = false;
  let inFeatures = false;
  let sawFeatures = false;
  let typeValue: string | undefined;
  let typeParts: Buffer[] | undefined;
  // The element of the features array being cut out.
  let elemParts: Buffer[] = [];
  let elemStart = -1;
  let elemBytes = 0;
  let index = 0;
  let first = true;

  for await (const chunk of source) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (first) {
      first = false;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
    }
    const out: unknown[] = [];
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      const c = buf[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (depth === 1 && keyStart >= 0) {
            keyParts.push(buf.subarray(keyStart, i));
            const text = Buffer.concat(keyParts).toString('utf8');
            keyParts = [];
            keyStart = -1;
            if (expectKey) lastKey = text;
            else if (typeParts) {
              typeValue = text;
              typeParts = undefined;
            }
          }
        }
        continue;
      }
      if (isSpace(c)) continue;
      if (!started) {
        if (c !== OPEN_OBJ)
          bad('The file is not a GeoJSON object: it must start with "{" (a FeatureCollection).');
        started = true;
        depth = 1;
        expectKey = true;
        continue;
      }
      if (depth === 0) bad('The file has text after the end of the GeoJSON object.');
      if (
        depth === 2 &&
        inFeatures &&
        elemStart < 0 &&
        elemParts.length === 0 &&
        c !== COMMA &&
        c !== CLOSE_ARR
      ) {
        if (c !== OPEN_OBJ) bad(`${featureLabel(index)} is not an object.`);
        elemStart = i;
        elemBytes = 0;
      }
      switch (c) {
        case QUOTE:
          inString = true;
          if (depth === 1) {
            if (expectKey || lastKey === 'type') {
              keyStart = i + 1;
              if (!expectKey) typeParts = [];
            }
          }
          break;
        case OPEN_OBJ:
        case OPEN_ARR:
          if (depth === 1 && lastKey === 'features' && !expectKey) {
            if (c !== OPEN_ARR) bad('"features" must be an array.');
            inFeatures = true;
            sawFeatures = true;
          }
          depth++;
          break;
        case CLOSE_OBJ:
        case CLOSE_ARR:
          depth--;
          if (depth < 0) bad('The GeoJSON has a closing bracket without its opening one.');
          if (depth === 2 && inFeatures && c === CLOSE_OBJ) {
            const part = buf.subarray(Math.max(elemStart, 0), i + 1);
            elemParts.push(part);
            const text = Buffer.concat(elemParts).toString('utf8');
            elemParts = [];
            elemStart = -1;
            try {
              out.push(JSON.parse(text));
            } catch (err) {
              bad(`${featureLabel(index)} is not valid JSON (${(err as Error).message}).`);
            }
            index++;
          } else if (depth === 1 && inFeatures) inFeatures = false;
          break;
        case COLON:
          if (depth === 1) expectKey = false;
          break;
        case COMMA:
          if (depth === 1) expectKey = true;
          break;
      }
    }
    // Carry the unfinished pieces into the next chunk.
    if (keyStart >= 0) {
      keyParts.push(Buffer.from(buf.subarray(keyStart)));
      keyStart = 0;
    }
    if (elemStart >= 0 || elemParts.length > 0) {
      const piece = Buffer.from(buf.subarray(Math.max(elemStart, 0)));
      elemParts.push(piece);
      elemBytes += piece.length;
      elemStart = -1;
      if (elemBytes > MAX_ELEMENT_BYTES) bad(`${featureLabel(index)} is larger than 256 MB.`);
    }
    if (out.length) yield out;
  }
  if (!started) bad('The file is empty.');
  if (depth !== 0 || inString)
    bad('The GeoJSON ends before its last object is closed (the file is cut short).');
  if (typeValue !== 'FeatureCollection') {
    bad(
      `The GeoJSON's type is ${typeValue === undefined ? 'missing' : `"${typeValue}"`}; expected "FeatureCollection".`,
    );
  }
  if (!sawFeatures) bad('The FeatureCollection has no "features" array.');
}
