import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { controlCharIndex } from '../control-chars.ts';
import { InvalidSearch } from '../errors.ts';

/**
 * The ArcGIS (Lucene-like) search syntax, parsed into a small tree by hand: no regular
 * expression or SQL ever sees the raw text. Grammar:
 *
 *   query   := orList EOF
 *   orList  := andList ((OR | <nothing>) andList)*      juxtaposition means OR (the default operator)
 *   andList := unary (AND unary)*
 *   unary   := (NOT | '-' | '!' | '+') unary | primary
 *   primary := '(' orList ')' | FIELD ':' value | value
 *   value   := WORD | "PHRASE" | [a TO b] | {a TO b} | '(' orList ')'   (a group applies the field)
 *
 * Lucene semantics for an OR list: '+x' clauses are required (the optional ones then only
 * rank), '-x' / 'NOT x' clauses exclude. A query of exclusions alone excludes from everything.
 */
export type QueryNode =
  | { kind: 'all' }
  | { kind: 'term'; field: string | null; value: string; phrase: boolean; prefix: boolean }
  | { kind: 'range'; field: string; from: string | null; to: string | null; inclusive: boolean }
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode };

export const MAX_QUERY_LENGTH = 2048;
const MAX_DEPTH = 16;
const MAX_CLAUSES = 64;

type Token =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT' | '+' | '-'; pos: number }
  | { t: 'field'; name: string; pos: number }
  | { t: 'word'; text: string; pos: number }
  | { t: 'phrase'; text: string; pos: number }
  | { t: 'range'; from: string | null; to: string | null; inclusive: boolean; pos: number };

function fail(message: string): never {
  throw new MeridianError(InvalidSearch, `Invalid search query q: ${message}`);
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;
const STOP = new Set([' ', '\t', '\n', '\r', '(', ')', '"']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function readPhrase(q: string, start: number): { text: string; end: number } {
  let text = '';
  for (let i = start + 1; i < q.length; i++) {
    const c = q[i]!;
    if (c === '\\' && i + 1 < q.length) {
      text += q[++i];
    } else if (c === '"') {
      return { text, end: i + 1 };
    } else {
      text += c;
    }
  }
  fail(`the quotation mark (") at position ${start + 1} is never closed. Close the phrase with a second ".`);
}

function readRange(q: string, start: number): { tok: Token; end: number } {
  const close = q[start] === '[' ? ']' : '}';
  const endIdx = q.indexOf(close, start + 1);
  if (endIdx < 0)
    fail(`the range starting at position ${start + 1} is never closed with '${close}'. Write [from TO to].`);
  const parts = q
    .slice(start + 1, endIdx)
    .trim()
    .split(/\s+/);
  if (parts.length !== 3 || parts[1] !== 'TO')
    fail(
      `the range at position ${start + 1} must read [from TO to], for example [1700000000000 TO 1800000000000].`,
    );
  const bound = (s: string) => (s === '*' ? null : s);
  return {
    tok: { t: 'range', from: bound(parts[0]!), to: bound(parts[2]!), inclusive: close === ']', pos: start },
    end: endIdx + 1,
  };
}

/** Splits q into tokens. Exported for tests. */
export function lex(q: string): Token[] {
  const control = controlCharIndex(q, true);
  if (control >= 0) fail(`control character (code ${q.charCodeAt(control)}) at position ${control + 1}.`);
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')') {
      out.push({ t: c, pos });
      i++;
      continue;
    }
    if (c === '"') {
      const { text, end } = readPhrase(q, i);
      out.push({ t: 'phrase', text, pos });
      i = end;
      continue;
    }
    if ((c === '[' || c === '{') && out.at(-1)?.t === 'field') {
      const { tok, end } = readRange(q, i);
      out.push(tok);
      i = end;
      continue;
    }
    const next = q[i + 1];
    const clauseStart = i === 0 || isSpace(q[i - 1]) || q[i - 1] === '(';
    if (
      (c === '+' || c === '-' || c === '!') &&
      clauseStart &&
      next !== undefined &&
      !isSpace(next) &&
      next !== ')' &&
      next !== c
    ) {
      out.push({ t: c === '!' ? 'NOT' : c, pos });
      i++;
      continue;
    }
    if ((c === '&' && next === '&') || (c === '|' && next === '|')) {
      out.push({ t: c === '&' ? 'AND' : 'OR', pos });
      i += 2;
      continue;
    }
    // A word; "name:" before it makes it a field.
    let text = '';
    let escaped = false;
    while (i < q.length && !STOP.has(q[i]!)) {
      const ch = q[i]!;
      if (ch === '\\' && i + 1 < q.length) {
        text += q[i + 1];
        escaped = true;
        i += 2;
        continue;
      }
      if (ch === ':' && !escaped && FIELD_NAME.test(text)) break;
      text += ch;
      i++;
    }
    if (q[i] === ':' && FIELD_NAME.test(text)) {
      out.push({ t: 'field', name: text.toLowerCase(), pos });
      i++;
      continue;
    }
    if (!escaped && (text === 'AND' || text === 'OR' || text === 'NOT')) {
      out.push({ t: text, pos });
      continue;
    }
    out.push({ t: 'word', text, pos });
  }
  return out;
}

type Mod = 'none' | 'required' | 'excluded';
interface Clause {
  node: QueryNode;
  mod: Mod;
}

function describe(tok: Token | undefined): string {
  if (!tok) return 'the end of the query';
  const at = `at position ${tok.pos + 1}`;
  if (tok.t === 'word' || tok.t === 'phrase') return `'${tok.text}' ${at}`;
  if (tok.t === 'field') return `'${tok.name}:' ${at}`;
  if (tok.t === 'range') return `the range ${at}`;
  return `'${tok.t}' ${at}`;
}

class Parser {
  readonly #toks: Token[];
  #i = 0;
  #clauses = 0;
  constructor(toks: Token[]) {
    this.#toks = toks;
  }

  parse(): QueryNode {
    if (this.#toks.length === 0) return { kind: 'all' };
    const node = this.#orList(null, 0);
    const rest = this.#toks[this.#i];
    if (rest) {
      if (rest.t === ')')
        fail(`unbalanced parentheses: the ')' at position ${rest.pos + 1} has no matching '('.`);
      fail(`unexpected ${describe(rest)}.`);
    }
    return node;
  }

  #peek(): Token | undefined {
    return this.#toks[this.#i];
  }

  #startsClause(tok: Token | undefined): boolean {
    return !!tok && tok.t !== ')' && tok.t !== 'AND' && tok.t !== 'OR';
  }

  #orList(field: string | null, depth: number): QueryNode {
    if (depth > MAX_DEPTH) fail(`parentheses are nested more than ${MAX_DEPTH} deep.`);
    const clauses: Clause[] = [this.#andList(field, depth)];
    for (;;) {
      const tok = this.#peek();
      if (tok?.t === 'OR') {
        this.#i++;
        if (!this.#startsClause(this.#peek()))
          fail(`'OR' at position ${tok.pos + 1} must be followed by a search term.`);
        clauses.push(this.#andList(field, depth));
      } else if (this.#startsClause(tok)) {
        clauses.push(this.#andList(field, depth));
      } else {
        break;
      }
    }
    return combineOr(clauses);
  }

  #andList(field: string | null, depth: number): Clause {
    const first = this.#unary(field, depth);
    const clauses: Clause[] = [first];
    while (this.#peek()?.t === 'AND') {
      const tok = this.#peek()!;
      this.#i++;
      if (!this.#startsClause(this.#peek()))
        fail(`'AND' at position ${tok.pos + 1} must be followed by a search term.`);
      clauses.push(this.#unary(field, depth));
    }
    if (clauses.length === 1) return first;
    return {
      mod: 'none',
      node: {
        kind: 'and',
        items: clauses.map((c) => (c.mod === 'excluded' ? { kind: 'not', item: c.node } : c.node)),
      },
    };
  }

  #unary(field: string | null, depth: number): Clause {
    const tok = this.#peek();
    if (!tok) fail('the query ends where a search term was expected.');
    if (tok.t === 'NOT' || tok.t === '-' || tok.t === '+') {
      this.#i++;
      if (!this.#startsClause(this.#peek()))
        fail(`'${tok.t}' at position ${tok.pos + 1} must be followed by a search term.`);
      const inner = this.#unary(field, depth + 1);
      if (tok.t === '+') return { node: inner.node, mod: inner.mod === 'excluded' ? 'excluded' : 'required' };
      // NOT NOT x is x.
      return { node: inner.node, mod: inner.mod === 'excluded' ? 'none' : 'excluded' };
    }
    return { node: this.#primary(field, depth), mod: 'none' };
  }

  #primary(field: string | null, depth: number): QueryNode {
    const tok = this.#peek();
    if (!tok) fail('the query ends where a search term was expected.');
    if (tok.t === '(') {
      this.#i++;
      if (this.#peek()?.t === ')') fail(`empty parentheses at position ${tok.pos + 1}.`);
      const node = this.#orList(field, depth + 1);
      if (this.#peek()?.t !== ')')
        fail(`unbalanced parentheses: the '(' at position ${tok.pos + 1} is never closed.`);
      this.#i++;
      return node;
    }
    if (tok.t === 'field') {
      if (field !== null)
        fail(`field '${tok.name}:' at position ${tok.pos + 1} is inside the group of field '${field}:'.`);
      this.#i++;
      const value = this.#peek();
      if (!value || value.t === ')' || value.t === 'AND' || value.t === 'OR' || value.t === 'field')
        fail(
          `'${tok.name}:' at position ${tok.pos + 1} must be followed by a value, for example ${tok.name}:word or ${tok.name}:"two words".`,
        );
      return this.#primary(tok.name, depth);
    }
    if (tok.t === 'range') {
      this.#i++;
      if (field === null)
        fail(`the range at position ${tok.pos + 1} needs a field, for example created:[a TO b].`);
      return this.#leaf({ kind: 'range', field, from: tok.from, to: tok.to, inclusive: tok.inclusive });
    }
    if (tok.t === 'word') {
      this.#i++;
      if (tok.text === '*') return this.#leaf({ kind: 'all' });
      const prefix = tok.text.length > 1 && tok.text.endsWith('*');
      const value = prefix ? tok.text.slice(0, -1) : tok.text;
      if (value.includes('*') || value.startsWith('?'))
        fail(`wildcards are supported only at the end of a word ('${tok.text}' at position ${tok.pos + 1}).`);
      return this.#leaf({ kind: 'term', field, value, phrase: false, prefix });
    }
    if (tok.t === 'phrase') {
      this.#i++;
      return this.#leaf({ kind: 'term', field, value: tok.text, phrase: true, prefix: false });
    }
    fail(`unexpected ${describe(tok)}.`);
  }

  #leaf(node: QueryNode): QueryNode {
    if (++this.#clauses > MAX_CLAUSES) fail(`more than ${MAX_CLAUSES} search terms.`);
    return node;
  }
}

function combineOr(clauses: Clause[]): QueryNode {
  if (clauses.length === 1 && clauses[0]!.mod !== 'excluded') return clauses[0]!.node;
  const required = clauses.filter((c) => c.mod === 'required').map((c) => c.node);
  const optional = clauses.filter((c) => c.mod === 'none').map((c) => c.node);
  const excluded = clauses.filter((c) => c.mod === 'excluded').map((c) => c.node);
  let base: QueryNode;
  if (required.length) base = required.length === 1 ? required[0]! : { kind: 'and', items: required };
  else if (optional.length) base = optional.length === 1 ? optional[0]! : { kind: 'or', items: optional };
  else base = { kind: 'all' };
  if (!excluded.length) return base;
  const nots: QueryNode[] = excluded.map((item) => ({ kind: 'not', item }));
  return { kind: 'and', items: base.kind === 'all' ? nots : [base, ...nots] };
}

/** Parses q; throws content.invalid_search (400) naming the problem. */
export function parseQuery(q: string): QueryNode {
  if (q.length > MAX_QUERY_LENGTH)
    fail(`it is ${q.length} characters long; the limit is ${MAX_QUERY_LENGTH}.`);
  return new Parser(lex(q)).parse();
}
