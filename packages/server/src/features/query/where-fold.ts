import type { Expr } from '../plan.ts';

/**
 * Folding of where-clause trees: predicates over literals alone become true/false (`1=1`,
 * `'a' LIKE 'a%'`), and AND/OR/NOT over true/false simplify, so that a store sees
 * `{kind:'true'}` for the `1=1` every client sends.
 */

export function truth(b: boolean): Expr {
  return { kind: b ? 'true' : 'false' };
}

export function compare(op: string, a: string | number, b: string | number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '<>':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

/** SQL LIKE: % any run, _ one character, `escapeChar` makes the next character literal. */
export function likeMatches(value: string, pattern: string, escapeChar?: string): boolean {
  let re = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (escapeChar !== undefined && c === escapeChar && i + 1 < chars.length) {
      re += escapeRegExp(chars[++i]!);
    } else if (c === '%') {
      re += '[\\s\\S]*';
    } else if (c === '_') {
      re += '[\\s\\S]';
    } else {
      re += escapeRegExp(c);
    }
  }
  return new RegExp(`^${re}$`, 'u').test(value);
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

export function foldAnd(items: Expr[]): Expr {
  const kept: Expr[] = [];
  for (const e of items) {
    if (e.kind === 'false') return e;
    if (e.kind === 'true') continue;
    if (e.kind === 'and') kept.push(...e.items);
    else kept.push(e);
  }
  if (kept.length === 0) return { kind: 'true' };
  return kept.length === 1 ? kept[0]! : { kind: 'and', items: kept };
}

export function foldOr(items: Expr[]): Expr {
  const kept: Expr[] = [];
  for (const e of items) {
    if (e.kind === 'true') return e;
    if (e.kind === 'false') continue;
    if (e.kind === 'or') kept.push(...e.items);
    else kept.push(e);
  }
  if (kept.length === 0) return { kind: 'false' };
  return kept.length === 1 ? kept[0]! : { kind: 'or', items: kept };
}

export function foldNot(e: Expr): Expr {
  if (e.kind === 'true') return { kind: 'false' };
  if (e.kind === 'false') return { kind: 'true' };
  if (e.kind === 'not') return e.expr;
  return { kind: 'not', expr: e };
}
