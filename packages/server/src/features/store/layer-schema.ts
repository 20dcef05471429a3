/**
 * A layer's definition as a store keeps it: the OID field first, every attribute field mapped
 * to a generated column name (c1, c2, …) so that no user-chosen name ever reaches SQL, and a
 * lookup that resolves a plan's field names (exact spelling, then case-insensitively).
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { FieldDef, FieldType, LayerDef } from '../plan.ts';
import { InvalidLayerDefinition, UnsupportedQuery } from './errors.ts';

export type NewLayerDef = Omit<LayerDef, 'extent' | 'featureCount' | 'objectIdField'> & {
  objectIdField?: string;
};

/** A field as stored: its definition and its column ('oid' for the OID field). */
export interface StoredField {
  def: FieldDef;
  column: string;
}

export interface LayerSchema {
  def: LayerDef;
  /** Attribute fields (not the OID), in definition order. */
  attributes: StoredField[];
  oid: StoredField;
  /** Resolves a field name of a plan; throws features.invalid_query when the layer has no such field. */
  field(name: string): StoredField;
}

const FIELD_TYPES = new Set<FieldType>([
  'esriFieldTypeOID',
  'esriFieldTypeString',
  'esriFieldTypeInteger',
  'esriFieldTypeDouble',
  'esriFieldTypeDate',
  'esriFieldTypeSmallInteger',
]);

export const NUMERIC_TYPES = new Set<FieldType>([
  'esriFieldTypeOID',
  'esriFieldTypeInteger',
  'esriFieldTypeSmallInteger',
  'esriFieldTypeDouble',
  'esriFieldTypeDate',
]);

/** Checks a new layer's definition and answers the full LayerDef (OID field first, extent empty). */
export function normalizeLayerDef(input: NewLayerDef): LayerDef {
  if (!Number.isInteger(input.id) || input.id < 0) {
    throw new MeridianError(InvalidLayerDefinition, `Layer id ${input.id} is not a non-negative integer.`);
  }
  if (!Number.isInteger(input.wkid) || input.wkid <= 0) {
    throw new MeridianError(InvalidLayerDefinition, `Layer wkid ${input.wkid} is not a positive integer.`);
  }
  const seen = new Set<string>();
  const fields: FieldDef[] = [];
  const oids = input.fields.filter((f) => f.type === 'esriFieldTypeOID');
  if (oids.length > 1) {
    throw new MeridianError(
      InvalidLayerDefinition,
      'A layer has exactly one field of type esriFieldTypeOID.',
    );
  }
  const oidName = oids[0]?.name ?? input.objectIdField ?? 'OBJECTID';
  if (input.objectIdField !== undefined && input.objectIdField !== oidName) {
    throw new MeridianError(
      InvalidLayerDefinition,
      `objectIdField "${input.objectIdField}" is not the layer's esriFieldTypeOID field "${oidName}".`,
    );
  }
  const oidField: FieldDef = oids[0] ?? {
    name: oidName,
    type: 'esriFieldTypeOID',
    alias: oidName,
    nullable: false,
  };
  for (const f of [oidField, ...input.fields.filter((x) => x.type !== 'esriFieldTypeOID')]) {
    if (typeof f.name !== 'string' || f.name.length === 0 || f.name.length > 128) {
      throw new MeridianError(InvalidLayerDefinition, `Field name "${String(f.name)}" is empty or too long.`);
    }
    if (!FIELD_TYPES.has(f.type)) {
      throw new MeridianError(
        InvalidLayerDefinition,
        `Field "${f.name}" has unknown type ${String(f.type)}.`,
      );
    }
    const key = f.name.toLowerCase();
    if (seen.has(key)) {
      throw new MeridianError(
        InvalidLayerDefinition,
        `Field name "${f.name}" appears twice (names are case-insensitive).`,
      );
    }
    seen.add(key);
    fields.push(f.type === 'esriFieldTypeString' ? { ...f, length: Math.max(1, f.length ?? 1) } : { ...f });
  }
  return {
    id: input.id,
    name: input.name,
    geometryType: input.geometryType,
    wkid: input.wkid,
    objectIdField: oidName,
    fields,
    extent: null,
    featureCount: 0,
  };
}

/** The store's view of a (normalized) layer definition. */
export function layerSchema(def: LayerDef): LayerSchema {
  const oidDef = def.fields[0]!;
  const oid: StoredField = { def: oidDef, column: 'oid' };
  const attributes = def.fields.slice(1).map((f, i) => ({ def: f, column: `c${i + 1}` }));
  const exact = new Map<string, StoredField>();
  const folded = new Map<string, StoredField>();
  for (const f of [oid, ...attributes]) {
    exact.set(f.def.name, f);
    folded.set(f.def.name.toLowerCase(), f);
  }
  return {
    def,
    attributes,
    oid,
    field(name: string) {
      const f = exact.get(name) ?? folded.get(String(name).toLowerCase());
      if (!f) throw new MeridianError(UnsupportedQuery, `Layer "${def.name}" has no field "${name}".`);
      return f;
    },
  };
}
