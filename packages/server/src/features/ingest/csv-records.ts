/**
 * Streams the records of a CSV file (RFC 4180: comma-separated, fields in double quotes may
 * hold commas, line breaks and doubled quotes; CRLF or LF line ends; a UTF-8 byte-order mark
 * is skipped). Blank lines are skipped. Each record carries the line number it starts on.
 */
import { StringDecoder } from 'node:string_decoder';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { BadCsv } from './errors.ts';

export interface CsvRecord {
  line: number;
  cells: string[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export async function* csvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRecord[]> {
  const decoder = new StringDecoder('utf8');
  let line = 1;
  let recordLine = 1;
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  /** Just after a closing quote of a quoted field. */
  let closed = false;
  let fieldStarted = false;
  let afterCr = false;
  let first = true;

  const endRecord = (out: CsvRecord[]) => {
    const blank = cells.length === 0 && !fieldStarted && cell === '';
    if (!blank) {
      cells.push(cell);
      out.push({ line: recordLine, cells });
    }
    cells = [];
    cell = '';
    fieldStarted = false;
    closed = false;
  };

  const scan = (text: string, out: CsvRecord[]) => {
    let start = 0;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (afterCr) {
        afterCr = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      if (quoted) {
        if (c === QUOTE) {
          cell += text.slice(start, i);
          if (i + 1 < n && text.charCodeAt(i + 1) === QUOTE) {
            cell += '"';
            i++;
          } else if (i + 1 >= n) {
            // The next chunk decides whether this quote is doubled: look at it then.
            pendingQuote = true;
          } else {
            quoted = false;
            closed = true;
          }
          start = i + 1;
        } else if (c === LF) line++;
        continue;
      }
      if (c === COMMA) {
        cells.push(cell + text.slice(start, i));
        cell = '';
        closed = false;
        fieldStarted = true;
        start = i + 1;
      } else if (c === LF || c === CR) {
        cell += text.slice(start, i);
        endRecord(out);
        line++;
        recordLine = line;
        afterCr = c === CR;
        start = i + 1;
      } else if (closed) {
        throw new MeridianError(BadCsv, `Line ${line}: text after the closing quote of a quoted field.`);
      } else if (c === QUOTE && cell === '' && i === start) {
        quoted = true;
        fieldStarted = true;
        start = i + 1;
      }
    }
    if (quoted || !closed) cell += text.slice(start);
  };

  let pendingQuote = false;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: CsvRecord[] = [];
    if (pendingQuote && text.length > 0) {
      pendingQuote = false;
      if (text.charCodeAt(0) === QUOTE) {
        cell += '"';
        text = text.slice(1);
      } else {
        quoted = false;
        closed = true;
      }
    }
    scan(text, out);
    if (out.length) yield out;
  }
  const rest = decoder.end();
  const out: CsvRecord[] = [];
  if (rest) scan(rest, out);
  if (pendingQuote) {
    quoted = false;
    pendingQuote = false;
  }
  if (quoted)
    throw new MeridianError(BadCsv, `Line ${recordLine}: a quoted field is never closed (a " is missing).`);
  endRecord(out);
  if (out.length) yield out;
}
