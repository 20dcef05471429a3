/**
 * Infers a layer's fields from the values seen in a first pass, and converts values to them.
 * Rules: whole numbers within 32 bits make an Integer field, other numbers a Double; a column
 * whose every value is an ISO-8601 date (yyyy-mm-dd) or date-time becomes a Date field (epoch
 * ms, UTC when no zone is written); anything else, or a mix, is a String as long as its
 * longest value. Booleans, objects and arrays are written as text (true/false, JSON).
 * Names keep letters, digits and underscores (others become _), unique case-insensitively;
 * the original name is the alias.
 */

import type { FieldDef, FieldType, Literal } from '../plan.ts';
import { parseIsoDate } from '../store/compile-where.ts';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export class FieldStats {
  readonly source: string;
  ints = 0;
  doubles = 0;
  dates = 0;
  texts = 0;
  maxLength = 1;
  nulls = 0;

  constructor(source: string) {
    this.source = source;
  }

  see(v: unknown): void {
    if (v === null || v === undefined) {
      this.nulls++;
      return;
    }
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX) this.ints++;
      else this.doubles++;
    } else if (typeof v === 'string' && parseIsoDate(v) !== undefined) this.dates++;
    else this.texts++;
    const len = textOf(v).length;
    if (len > this.maxLength) this.maxLength = len;
  }

  get type(): FieldType {
    const numbers = this.ints + this.doubles;
    if (this.texts === 0 && this.dates === 0 && numbers > 0) {
      return this.doubles > 0 ? 'esriFieldTypeDouble' : 'esriFieldTypeInteger';
    }
    if (this.texts === 0 && numbers === 0 && this.dates > 0) return 'esriFieldTypeDate';
    return 'esriFieldTypeString';
  }
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** A value as its field stores it. */
export function convertValue(v: unknown, type: FieldType): Literal {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'esriFieldTypeDate':
      return parseIsoDate(v as string) ?? null;
    case 'esriFieldTypeInteger':
    case 'esriFieldTypeDouble':
      return v as number;
    default:
      return textOf(v);
  }
}

/** A field name a where clause can write: letters, digits, underscore, not starting with a digit. */
function cleanName(source: string): string {
  let n = source.replace(/[^A-Za-z0-9_]/g, '_');
  if (n === '' || /^[0-9]/.test(n)) n = `F${n}`;
  return n.slice(0, 64);
}

export interface InferredField {
  def: FieldDef;
  /** The property or column it comes from. */
  source: string;
}

/** The fields for these statistics, in order, and a free name for the OID field. */
export function inferFields(stats: FieldStats[]): { fields: InferredField[]; objectIdField: string } {
  const taken = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 1; taken.has(name.toLowerCase()); i++) name = `${base}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  };
  const fields = stats.map((s) => {
    const type = s.type;
    const name = unique(cleanName(s.source));
    const def: FieldDef = { name, type, alias: s.source, nullable: true };
    if (type === 'esriFieldTypeString') def.length = s.maxLength;
    return { def, source: s.source };
  });
  return { fields, objectIdField: unique('OBJECTID') };
}
