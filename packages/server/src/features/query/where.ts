import type { Expr, LayerDef, Literal, Operand } from '../plan.ts';
import { parseDateLiteral } from './dates.ts';
import { badWhere } from './errors.ts';
import { fieldList, findField, kindOf, type ValueKind } from './fields.ts';
import { compare, foldAnd, foldNot, foldOr, likeMatches, truth } from './where-fold.ts';
import { type Token, tokenize } from './where-tokens.ts';

/**
 * The `where` parameter: a recursive-descent parser for the SQL-92 subset GeoServices clients
 * send, into the Expr tree of plan.ts. Field names are checked against the layer and answered in
 * its spelling; literals stay values; comparisons are type-checked so that a store never sees
 * a string compared with a number; predicates over literals alone are folded to true/false.
 *
 * Grammar (keywords case-insensitive):
 *   expr      := and (OR and)*
 *   and       := not (AND not)*
 *   not       := NOT not | '(' expr ')' | predicate
 *   predicate := operand ( cmp operand | [NOT] LIKE string [ESCAPE string]
 *                | [NOT] IN '(' literal, … ')' | [NOT] BETWEEN literal AND literal | IS [NOT] NULL )
 *   operand   := field | "field" | literal | UPPER '(' operand ')' | LOWER '(' operand ')'
 *   literal   := string | [-]number | DATE string | TIMESTAMP string
 */

export const MAX_WHERE_DEPTH = 40;

const RESERVED = new Set([
  'AND',
  'OR',
  'NOT',
  'LIKE',
  'ESCAPE',
  'IN',
  'BETWEEN',
  'IS',
  'NULL',
  'DATE',
  'TIMESTAMP',
  'SELECT',
  'FROM',
  'EXISTS',
  'UNION',
]);

/** An operand while parsing: its Expr form, what kind of value it yields, and its value when constant. */
export interface Typed {
  op: Operand;
  kind: ValueKind;
  /** Set when the operand involves no field: its value (dates as epoch ms). */
  constant?: string | number;
  pos: number;
}

/** Parses a where clause against a layer; an empty clause is true. Throws features.bad_where. */
export function parseWhere(text: string, layer: LayerDef): Expr {
  if (text.trim() === '') return { kind: 'true' };
  return new WhereParser(tokenize(text), layer).parseAll();
}

class WhereParser {
  private i = 0;
  private depth = 0;
  private readonly tokens: Token[];
  private readonly layer: LayerDef;

  constructor(tokens: Token[], layer: LayerDef) {
    this.tokens = tokens;
    this.layer = layer;
  }

  parseAll(): Expr {
    const e = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'end')
      throw badWhere(t.pos, `expected AND, OR or the end of the clause, found ${describe(t)}`);
    return e;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.upper === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }

  private expectPunct(p: '(' | ')' | ',', what: string): void {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== p)
      throw badWhere(t.pos, `expected '${p}' ${what}, found ${describe(t)}`);
  }

  private enter(pos: number): void {
    if (++this.depth > MAX_WHERE_DEPTH) {
      throw badWhere(pos, `the clause is nested too deeply (more than ${MAX_WHERE_DEPTH} levels)`);
    }
  }

  private parseOr(): Expr {
    const items = [this.parseAnd()];
    while (this.isWord('OR')) {
      this.next();
      items.push(this.parseAnd());
    }
    return items.length === 1 ? items[0]! : foldOr(items);
  }

  private parseAnd(): Expr {
    const items = [this.parseNot()];
    while (this.isWord('AND')) {
      this.next();
      items.push(this.parseNot());
    }
    return items.length === 1 ? items[0]! : foldAnd(items);
  }

  private parseNot(): Expr {
    const t = this.peek();
    if (this.isWord('NOT')) {
      this.next();
      this.enter(t.pos);
      const e = foldNot(this.parseNot());
      this.depth--;
      return e;
    }
    if (this.isPunct('(')) {
      this.next();
      if (this.isWord('SELECT')) throw badWhere(this.peek().pos, 'subqueries are not allowed');
      this.enter(t.pos);
      const e = this.parseOr();
      this.expectPunct(')', 'to close the parenthesis');
      this.depth--;
      return e;
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    const left = this.parseOperand();
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      const right = this.parseOperand();
      unify(left, right, t.pos);
      const op = t.text === '!=' ? '<>' : t.text;
      if (left.constant !== undefined && right.constant !== undefined) {
        return truth(compare(op, left.constant, right.constant));
      }
      return { kind: 'cmp', op, left: left.op, right: right.op };
    }
    let negate = false;
    if (this.isWord('NOT') && (this.isWord('LIKE', 1) || this.isWord('IN', 1) || this.isWord('BETWEEN', 1))) {
      this.next();
      negate = true;
    }
    const kw = this.peek();
    if (kw.kind === 'word' && kw.upper === 'LIKE') return this.parseLike(left, negate);
    if (kw.kind === 'word' && kw.upper === 'IN') return this.parseIn(left, negate);
    if (kw.kind === 'word' && kw.upper === 'BETWEEN') return this.parseBetween(left, negate);
    if (kw.kind === 'word' && kw.upper === 'IS') {
      this.next();
      const not = this.isWord('NOT');
      if (not) this.next();
      const n = this.next();
      if (n.kind !== 'word' || n.upper !== 'NULL')
        throw badWhere(n.pos, `expected NULL after IS, found ${describe(n)}`);
      if (left.constant !== undefined) return { kind: not ? 'true' : 'false' };
      return { kind: 'isnull', left: left.op, negate: not };
    }
    throw badWhere(
      kw.pos,
      `expected a comparison (= <> < <= > >=), LIKE, IN, BETWEEN or IS NULL after the operand, found ${describe(kw)}`,
    );
  }

  private parseLike(left: Typed, negate: boolean): Expr {
    this.next();
    if (left.kind !== 'string')
      throw badWhere(left.pos, 'LIKE needs a string field or UPPER()/LOWER() of one');
    const p = this.next();
    if (p.kind !== 'string')
      throw badWhere(p.pos, `expected a quoted pattern after LIKE, found ${describe(p)}`);
    let escapeChar: string | undefined;
    if (this.isWord('ESCAPE')) {
      this.next();
      const e = this.next();
      if (e.kind !== 'string' || [...e.text].length !== 1) {
        throw badWhere(e.pos, `expected one quoted character after ESCAPE, found ${describe(e)}`);
      }
      escapeChar = e.text;
    }
    if (left.constant !== undefined) {
      return truth(likeMatches(String(left.constant), p.text, escapeChar) !== negate);
    }
    const expr: Expr = { kind: 'like', left: left.op, pattern: p.text, negate };
    if (escapeChar !== undefined) expr.escape = escapeChar;
    return expr;
  }

  private parseIn(left: Typed, negate: boolean): Expr {
    this.next();
    if (this.isPunct('(') && this.isWord('SELECT', 1))
      throw badWhere(this.peek(1).pos, 'subqueries are not allowed');
    this.expectPunct('(', 'after IN');
    const values: Literal[] = [this.parseLiteralFor(left)];
    while (this.isPunct(',')) {
      this.next();
      values.push(this.parseLiteralFor(left));
    }
    this.expectPunct(')', 'to close the IN list');
    if (left.constant !== undefined) return truth(values.includes(left.constant) !== negate);
    return { kind: 'in', left: left.op, values, negate };
  }

  private parseBetween(left: Typed, negate: boolean): Expr {
    this.next();
    const low = this.parseLiteralFor(left);
    const and = this.next();
    if (and.kind !== 'word' || and.upper !== 'AND') {
      throw badWhere(and.pos, `expected AND between the bounds of BETWEEN, found ${describe(and)}`);
    }
    const high = this.parseLiteralFor(left);
    if (left.constant !== undefined) {
      const inside = compare('>=', left.constant, low!) && compare('<=', left.constant, high!);
      return truth(inside !== negate);
    }
    return { kind: 'between', left: left.op, low, high, negate };
  }

  /** A literal of an IN list or BETWEEN bound, of the kind of `left` (dates as epoch ms). */
  private parseLiteralFor(left: Typed): Literal {
    const t = this.peek();
    const lit = this.parseOperand();
    if (lit.constant === undefined) throw badWhere(t.pos, `expected a literal value, found ${describe(t)}`);
    return coerce(lit, left.kind, t.pos).constant!;
  }

  private parseOperand(): Typed {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { op: { value: t.text }, kind: 'string', constant: t.text, pos: t.pos };
      case 'number':
        return { op: { value: t.value }, kind: 'number', constant: t.value, pos: t.pos };
      case 'qname':
        return this.field(t.text, t.pos);
      case 'punct': {
        if (t.text === '-') {
          const n = this.next();
          if (n.kind !== 'number') throw badWhere(n.pos, `expected a number after '-', found ${describe(n)}`);
          return { op: { value: -n.value }, kind: 'number', constant: -n.value, pos: t.pos };
        }
        if (t.text === '(' && this.isWord('SELECT'))
          throw badWhere(this.peek().pos, 'subqueries are not allowed');
        throw badWhere(t.pos, `expected a field name or a value, found ${describe(t)}`);
      }
      case 'word':
        return this.wordOperand(t);
      default:
        throw badWhere(t.pos, `expected a field name or a value, found ${describe(t)}`);
    }
  }

  private wordOperand(t: Extract<Token, { kind: 'word' }>): Typed {
    const fieldNamedSo = findField(this.layer, t.text);
    if ((t.upper === 'DATE' || t.upper === 'TIMESTAMP') && !(fieldNamedSo && this.peek().kind !== 'string')) {
      const s = this.next();
      if (s.kind !== 'string')
        throw badWhere(s.pos, `expected a quoted date after ${t.upper}, found ${describe(s)}`);
      const ms = parseDateLiteral(s.text);
      if (ms === undefined) {
        throw badWhere(s.pos, `'${s.text}' is not a date: expected 'yyyy-mm-dd' or 'yyyy-mm-dd hh:mm:ss'`);
      }
      return { op: { date: ms }, kind: 'date', constant: ms, pos: t.pos };
    }
    if (this.isPunct('(')) {
      if (t.upper === 'EXISTS') throw badWhere(t.pos, 'subqueries are not allowed');
      if (t.upper !== 'UPPER' && t.upper !== 'LOWER') {
        throw badWhere(
          t.pos,
          `unknown function ${t.text}(): the supported functions are UPPER() and LOWER()`,
        );
      }
      this.next();
      this.enter(t.pos);
      const arg = this.parseOperand();
      this.expectPunct(')', `to close ${t.upper}(`);
      this.depth--;
      if (arg.kind !== 'string')
        throw badWhere(arg.pos, `${t.upper}() needs a string field or a quoted string`);
      const op: Operand = { fn: t.upper, arg: arg.op };
      if (arg.constant === undefined) return { op, kind: 'string', pos: t.pos };
      const v = String(arg.constant);
      const folded = t.upper === 'UPPER' ? v.toUpperCase() : v.toLowerCase();
      return { op: { value: folded }, kind: 'string', constant: folded, pos: t.pos };
    }
    if (t.upper === 'NULL') throw badWhere(t.pos, 'NULL can only be tested with IS NULL or IS NOT NULL');
    if (RESERVED.has(t.upper) && !(fieldNamedSo && (t.upper === 'DATE' || t.upper === 'TIMESTAMP'))) {
      const what = t.upper === 'SELECT' || t.upper === 'FROM' ? ' (subqueries are not allowed)' : '';
      throw badWhere(t.pos, `expected a field name or a value, found the keyword ${t.upper}${what}`);
    }
    return this.field(t.text, t.pos);
  }

  private field(name: string, pos: number): Typed {
    const f = findField(this.layer, name);
    if (!f) throw badWhere(pos, `unknown field '${name}' (the layer's fields: ${fieldList(this.layer)})`);
    return { op: { field: f.name }, kind: kindOf(f), pos };
  }
}

/** Makes two compared operands of one kind: a constant side takes the kind of the other side. */
function unify(left: Typed, right: Typed, pos: number): void {
  if (left.kind === right.kind) return;
  if (right.constant !== undefined) coerce(right, left.kind, right.pos);
  else if (left.constant !== undefined) coerce(left, right.kind, left.pos);
  else throw badWhere(pos, `cannot compare a ${left.kind} field with a ${right.kind} field`);
}

/** A constant operand as a value of `kind`: numbers for numbers, strings for strings, dates from either. */
export function coerce(c: Typed, kind: ValueKind, pos: number): Typed {
  if (c.kind === kind) return c;
  if (kind === 'date') {
    const ms = typeof c.constant === 'number' ? c.constant : parseDateLiteral(String(c.constant));
    if (ms === undefined) {
      throw badWhere(
        pos,
        `expected a date (DATE 'yyyy-mm-dd' or TIMESTAMP 'yyyy-mm-dd hh:mm:ss'), found '${c.constant}'`,
      );
    }
    c.op = { date: ms };
    c.kind = 'date';
    c.constant = ms;
    return c;
  }
  const shown = c.kind === 'string' ? `'${c.constant}'` : String(c.constant);
  throw badWhere(
    pos,
    `expected a ${kind} value here (the other side is a ${kind}), found ${c.kind} ${shown}`,
  );
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the clause';
    case 'string':
      return `the string '${t.text}'`;
    case 'qname':
      return `"${t.text}"`;
    case 'number':
      return t.text;
    default:
      return `'${t.text}'`;
  }
}
