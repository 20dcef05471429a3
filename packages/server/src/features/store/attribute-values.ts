/**
 * Checks one attribute value against its field before a store writes it: numbers for numeric
 * fields (whole numbers in range for the integer types), text for strings, null only where
 * the field is nullable. Answers the value to bind.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { FieldDef, Literal } from '../plan.ts';
import { InvalidFeature } from './errors.ts';

const INT_RANGE: Record<string, [number, number]> = {
  esriFieldTypeInteger: [-2147483648, 2147483647],
  esriFieldTypeSmallInteger: [-32768, 32767],
};

export function attributeValue(f: FieldDef, v: Literal | undefined, index: number): Literal {
  if (v === null || v === undefined) {
    if (!f.nullable)
      throw new MeridianError(InvalidFeature, `Feature ${index}: field "${f.name}" may not be null.`);
    return null;
  }
  if (f.type === 'esriFieldTypeString') {
    if (typeof v !== 'string')
      throw new MeridianError(InvalidFeature, `Feature ${index}: field "${f.name}" takes text.`);
    return v;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new MeridianError(InvalidFeature, `Feature ${index}: field "${f.name}" takes a finite number.`);
  }
  const range = INT_RANGE[f.type];
  if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
    throw new MeridianError(
      InvalidFeature,
      `Feature ${index}: field "${f.name}" takes whole numbers from ${range[0]} to ${range[1]}, not ${v}.`,
    );
  }
  return v;
}
