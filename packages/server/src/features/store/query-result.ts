/** Turns the rows of a compiled query (arrays) into the QueryResult of its mode; shared by both stores. */
import type { EsriGeometry, Literal, QueryPlan, QueryResult, StoredFeature } from '../plan.ts';
import type { CompiledQuery } from './compile-query.ts';
import type { LayerSchema } from './layer-schema.ts';

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

function literal(v: unknown): Literal {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  return v as Literal;
}

/** decodeGeometry(row, at): the geometry from the columns at `at` (xmin, ymin, then the store's own). */
export function toResult(
  schema: LayerSchema,
  plan: QueryPlan,
  q: CompiledQuery,
  rows: unknown[][],
  decodeGeometry: (row: unknown[], at: number) => EsriGeometry | null,
): QueryResult {
  switch (plan.mode) {
    case 'count':
      return { mode: 'count', count: num(rows[0]![0]) };
    case 'ids':
      return { mode: 'ids', objectIds: rows.map((r) => num(r[0])) };
    case 'extent': {
      const r = rows[0]!;
      const count = num(r[0]);
      const has = schema.def.geometryType !== null && r[1] !== null && r[1] !== undefined;
      return {
        mode: 'extent',
        count,
        extent: has ? { xmin: num(r[1]), ymin: num(r[2]), xmax: num(r[3]), ymax: num(r[4]) } : null,
      };
    }
    case 'features': {
      const limit = plan.limit ?? Infinity;
      const exceeded = rows.length > limit;
      const n = exceeded ? limit : rows.length;
      const fields = q.fields;
      const at = fields.length;
      const features: StoredFeature[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const row = rows[i]!;
        const attributes: Record<string, Literal> = {};
        for (let j = 0; j < at; j++) attributes[fields[j]!.def.name] = literal(row[j]);
        features[i] = { attributes, geometry: q.withGeometry ? decodeGeometry(row, at) : null };
      }
      return { mode: 'features', features, exceededTransferLimit: exceeded };
    }
    case 'stats': {
      const limit = plan.limit ?? Infinity;
      const exceeded = rows.length > limit;
      const out = (exceeded ? rows.slice(0, limit) : rows).map((r) => {
        const o: Record<string, Literal> = {};
        q.outNames.forEach((name, i) => {
          o[name] = literal(r[i]);
        });
        return o;
      });
      return { mode: 'stats', rows: out, exceededTransferLimit: exceeded };
    }
  }
}
