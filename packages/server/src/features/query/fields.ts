import type { FieldDef, LayerDef } from '../plan.ts';

/** Looking up a layer's fields by a name a client sent: case-insensitive, answering the layer's spelling. */

export function findField(layer: LayerDef, name: string): FieldDef | undefined {
  const wanted = name.toLowerCase();
  return layer.fields.find((f) => f.name.toLowerCase() === wanted);
}

/** The layer's field names for an error message (at most `max`, then "…"). */
export function fieldList(layer: LayerDef, max = 30): string {
  const names = layer.fields.map((f) => f.name);
  return names.length > max ? `${names.slice(0, max).join(', ')}, …` : names.join(', ');
}

export type ValueKind = 'string' | 'number' | 'date';

/** What kind of value a field holds, for type checks of where clauses and statistics. */
export function kindOf(field: FieldDef): ValueKind {
  switch (field.type) {
    case 'esriFieldTypeString':
      return 'string';
    case 'esriFieldTypeDate':
      return 'date';
    default:
      return 'number';
  }
}
