/**
 * Compiles a plan's where-clause tree to SQL: field names are resolved against the layer and
 * become generated column names; every value becomes a bound parameter, coerced to the type
 * of the field it meets (a numeric string against a number field, a date string against a
 * date field); a comparison that cannot be coerced is a features.invalid_query error.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { Expr, Literal, Operand } from '../plan.ts';
import { UnsupportedQuery } from './errors.ts';
import { type LayerSchema, NUMERIC_TYPES } from './layer-schema.ts';
import type { Params, SqlDialect } from './sql-dialect.ts';

type Kind = 'number' | 'string' | 'date' | 'any';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO-8601 date or date-time (UTC when it names no zone), or undefined. */
export function parseIsoDate(s: string): number | undefined {
  if (!ISO_DATE.test(s)) return undefined;
  let text = s.replace(' ', 'T');
  if (text.length === 10) text += 'T00:00:00Z';
  else if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function kindOf(schema: LayerSchema, o: Operand): Kind {
  if ('field' in o) {
    const t = schema.field(o.field).def.type;
    if (t === 'esriFieldTypeDate') return 'date';
    return NUMERIC_TYPES.has(t) ? 'number' : 'string';
  }
  if ('fn' in o) return 'string';
  if ('date' in o) return 'date';
  if (typeof o.value === 'number') return 'number';
  if (typeof o.value === 'string') return 'string';
  return 'any';
}

/** A literal as the other side's kind wants it. */
function coerce(v: Literal, to: Kind, context: string): Literal {
  if (v === null || to === 'any') return v;
  if (to === 'string') return typeof v === 'string' ? v : String(v);
  if (typeof v === 'number') return v;
  const text = v.trim();
  if (to === 'date') {
    const ms = parseIsoDate(text);
    if (ms !== undefined) return ms;
  }
  if (text !== '' && Number.isFinite(Number(text))) return Number(text);
  throw new MeridianError(
    UnsupportedQuery,
    `${context} compares a ${to === 'date' ? 'date' : 'numeric'} field with the text '${v.slice(0, 80)}'.`,
  );
}

export class WhereCompiler {
  readonly #schema: LayerSchema;
  readonly #d: SqlDialect;
  readonly #p: Params;

  constructor(schema: LayerSchema, dialect: SqlDialect, params: Params) {
    this.#schema = schema;
    this.#d = dialect;
    this.#p = params;
  }

  column(name: string): string {
    return `t."${this.#schema.field(name).column}"`;
  }

  #operand(o: Operand, other: Kind): string {
    if ('field' in o) return this.column(o.field);
    if ('date' in o) return this.#p.add(o.date);
    if ('fn' in o) {
      const k = kindOf(this.#schema, o.arg);
      if (k === 'number' || k === 'date') {
        throw new MeridianError(UnsupportedQuery, `${o.fn}() applies to text, not to a number or date.`);
      }
      return `${o.fn}(${this.#operand(o.arg, 'string')})`;
    }
    return this.#p.add(coerce(o.value, other, 'The where clause'));
  }

  #literal(v: Literal, to: Kind): string {
    const c = coerce(v, to, 'The where clause');
    return c === null ? 'NULL' : this.#p.add(c);
  }

  compile(e: Expr): string {
    switch (e.kind) {
      case 'true':
        return '(1=1)';
      case 'false':
        return '(1=0)';
      case 'and':
        return e.items.length === 0 ? '(1=1)' : `(${e.items.map((x) => this.compile(x)).join(' AND ')})`;
      case 'or':
        return e.items.length === 0 ? '(1=0)' : `(${e.items.map((x) => this.compile(x)).join(' OR ')})`;
      case 'not':
        return `(NOT ${this.compile(e.expr)})`;
      case 'cmp': {
        const lk = kindOf(this.#schema, e.left);
        const rk = kindOf(this.#schema, e.right);
        return `(${this.#operand(e.left, rk)} ${e.op} ${this.#operand(e.right, lk)})`;
      }
      case 'like': {
        if (kindOf(this.#schema, e.left) !== 'string' && kindOf(this.#schema, e.left) !== 'any') {
          throw new MeridianError(UnsupportedQuery, 'LIKE applies to text fields, not to numbers or dates.');
        }
        const esc =
          e.escape !== undefined && e.escape !== '' ? ` ESCAPE ${this.#p.add(e.escape)}` : this.#d.noEscape;
        return `(${this.#operand(e.left, 'string')} ${e.negate ? 'NOT ' : ''}LIKE ${this.#p.add(e.pattern)}${esc})`;
      }
      case 'in': {
        if (e.values.length === 0) return e.negate ? '(1=1)' : '(1=0)';
        const k = kindOf(this.#schema, e.left);
        const list = e.values.map((v) => this.#literal(v, k)).join(', ');
        return `(${this.#operand(e.left, 'any')} ${e.negate ? 'NOT ' : ''}IN (${list}))`;
      }
      case 'between': {
        const k = kindOf(this.#schema, e.left);
        const left = this.#operand(e.left, 'any');
        return `(${left} ${e.negate ? 'NOT ' : ''}BETWEEN ${this.#literal(e.low, k)} AND ${this.#literal(e.high, k)})`;
      }
      case 'isnull':
        return `(${this.#operand(e.left, 'any')} IS ${e.negate ? 'NOT ' : ''}NULL)`;
    }
  }
}
