import { badWhere } from './errors.ts';

/**
 * The tokenizer of the `where` SQL subset: words (names and keywords), double-quoted names,
 * single-quoted strings ('' is a quote), numbers, and the few punctuation marks the grammar
 * uses. Anything else (a semicolon, a comment, a curly quote) is refused with its position.
 */

export type Token =
  | { kind: 'word'; text: string; upper: string; pos: number }
  | { kind: 'qname'; text: string; pos: number }
  | { kind: 'string'; text: string; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'punct'; text: '(' | ')' | ',' | '-'; pos: number }
  | { kind: 'op'; text: '=' | '<>' | '!=' | '<' | '<=' | '>' | '>='; pos: number }
  | { kind: 'end'; pos: number };

export const MAX_WHERE_LENGTH = 10_000;

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;

/** Splits a where clause into tokens; positions are 1-based character offsets. */
export function tokenize(input: string): Token[] {
  if (input.length > MAX_WHERE_LENGTH) {
    throw badWhere(MAX_WHERE_LENGTH + 1, `the clause is longer than ${MAX_WHERE_LENGTH} characters`);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    const pos = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && input[i + 1] === '-') {
      throw badWhere(pos, 'comments (--) are not allowed');
    } else if (c === '/' && input[i + 1] === '*') {
      throw badWhere(pos, 'comments (/* */) are not allowed');
    } else if (c === ';') {
      throw badWhere(pos, 'a semicolon is not allowed: the where clause is one condition');
    } else if (WORD_START.test(c)) {
      let j = i + 1;
      while (j < input.length && WORD_PART.test(input[j]!)) j++;
      const text = input.slice(i, j);
      tokens.push({ kind: 'word', text, upper: text.toUpperCase(), pos });
      i = j;
    } else if (c === "'" || c === '"') {
      const { text, next } = readQuoted(input, i, c);
      tokens.push(c === "'" ? { kind: 'string', text, pos } : { kind: 'qname', text, pos });
      i = next;
    } else if (/[0-9.]/.test(c)) {
      const m = NUMBER.exec(input.slice(i));
      if (!m) throw badWhere(pos, `expected a number, found '${c}'`);
      const after = input[i + m[0].length];
      if (after !== undefined && WORD_PART.test(after)) {
        throw badWhere(pos + m[0].length, `expected an operator or a space after the number ${m[0]}`);
      }
      tokens.push({ kind: 'number', value: Number(m[0]), text: m[0], pos });
      i += m[0].length;
    } else if (c === '(' || c === ')' || c === ',' || c === '-') {
      tokens.push({ kind: 'punct', text: c, pos });
      i++;
    } else if (c === '<' || c === '>' || c === '=' || c === '!') {
      const two = input.slice(i, i + 2);
      if (two === '<>' || two === '!=' || two === '<=' || two === '>=') {
        tokens.push({ kind: 'op', text: two, pos });
        i += 2;
      } else if (c === '!') {
        throw badWhere(pos, "expected '!=', found '!'");
      } else {
        tokens.push({ kind: 'op', text: c as '=' | '<' | '>', pos });
        i++;
      }
    } else {
      throw badWhere(
        pos,
        `unexpected character '${c}' (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`,
      );
    }
  }
  tokens.push({ kind: 'end', pos: input.length + 1 });
  return tokens;
}

/** Reads a quoted string or name starting at `start`; a doubled quote stands for one quote. */
function readQuoted(input: string, start: number, quote: string): { text: string; next: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    const j = input.indexOf(quote, i);
    if (j < 0) {
      const what = quote === "'" ? 'string' : 'quoted name';
      throw badWhere(start + 1, `the ${what} starting here is not closed (missing ${quote})`);
    }
    text += input.slice(i, j);
    if (input[j + 1] === quote) {
      text += quote;
      i = j + 2;
    } else {
      return { text, next: j + 1 };
    }
  }
}
