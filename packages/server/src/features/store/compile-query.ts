/**
 * Compiles a whole QueryPlan to one SQL statement for a dialect: the spatial filter through the
 * index, the where clause, object ids, ordering (NULLs first ascending, last descending, in both
 * databases), paging, and the select list of each mode. Rows come back as arrays; `shape` says
 * what each position holds.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import type { QueryPlan } from '../plan.ts';
import { WhereCompiler } from './compile-where.ts';
import { UnsupportedQuery } from './errors.ts';
import { type LayerSchema, NUMERIC_TYPES, type StoredField } from './layer-schema.ts';
import type { SqlDialect } from './sql-dialect.ts';

export interface CompiledQuery {
  sql: string;
  params: unknown[];
  /** features: the attribute fields selected, in order, after which come xmin, ymin[, geometry]. */
  fields: StoredField[];
  withGeometry: boolean;
  /** stats: the output names of the columns, in order. */
  outNames: string[];
}

function direction(dir: string): string {
  return dir === 'DESC' ? 'DESC NULLS LAST' : 'ASC NULLS FIRST';
}

export function compileQuery(schema: LayerSchema, plan: QueryPlan, d: SqlDialect): CompiledQuery {
  const p = d.params();
  const w = new WhereCompiler(schema, d, p);
  const spatial = schema.def.geometryType === null ? undefined : plan.spatial;
  const conds: string[] = [];
  if (spatial) conds.push(...d.spatialWhere(spatial, p));
  if (plan.objectIds) conds.push(d.oidIn(plan.objectIds, p));
  const where = w.compile(plan.where);
  if (where !== '(1=1)') conds.push(where);
  if (plan.spatial && schema.def.geometryType === null) conds.push('(1=0)');
  const whereOnly = !spatial && plan.objectIds === undefined && conds.length > 0;
  const from = d.from(spatial, plan.objectIds !== undefined && plan.objectIds.length < 5000, whereOnly);
  const whereSql = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
  const orderOf = () => {
    const seen = new Set<string>();
    const parts: string[] = [];
    for (const o of [...plan.orderBy, { field: schema.oid.def.name, dir: 'ASC' as const }]) {
      const col = w.column(o.field);
      if (seen.has(col)) continue;
      seen.add(col);
      parts.push(`${col} ${direction(o.dir)}`);
    }
    return ` ORDER BY ${parts.join(', ')}`;
  };
  const base = { fields: [] as StoredField[], withGeometry: false, outNames: [] as string[] };

  switch (plan.mode) {
    case 'count':
      return { ...base, sql: `SELECT COUNT(*) FROM ${from}${whereSql}`, params: p.values };
    case 'ids': {
      const sql = `SELECT t.oid FROM ${from}${whereSql}${orderOf()}${d.page(undefined, plan.offset, p)}`;
      return { ...base, sql, params: p.values };
    }
    case 'extent': {
      const sql = `SELECT COUNT(*), MIN(t.minx), MIN(t.miny), MAX(t.maxx), MAX(t.maxy) FROM ${from}${whereSql}`;
      return { ...base, sql, params: p.values };
    }
    case 'features': {
      const seen = new Set<string>();
      const fields: StoredField[] = [];
      for (const name of [schema.oid.def.name, ...plan.outFields]) {
        const f = schema.field(name);
        if (seen.has(f.column)) continue;
        seen.add(f.column);
        fields.push(f);
      }
      const withGeometry = plan.returnGeometry && schema.def.geometryType !== null;
      const cols = fields.map((f) => `t."${f.column}"`);
      if (withGeometry) {
        cols.push('t.minx', 't.miny');
        if (schema.def.geometryType !== 'esriGeometryPoint') cols.push(d.geometryColumn);
      }
      const limit = plan.limit === undefined ? undefined : plan.limit + 1;
      const sql = `SELECT ${cols.join(', ')} FROM ${from}${whereSql}${orderOf()}${d.page(limit, plan.offset, p)}`;
      return { ...base, sql, params: p.values, fields, withGeometry };
    }
    case 'stats': {
      const groups = (plan.groupBy ?? []).map((g) => schema.field(g));
      const select: string[] = [];
      const outNames: string[] = [];
      const byName = new Map<string, string>();
      groups.forEach((g, i) => {
        select.push(`t."${g.column}" AS g${i}`);
        outNames.push(g.def.name);
        byName.set(g.def.name.toLowerCase(), `g${i}`);
      });
      (plan.statistics ?? []).forEach((s, i) => {
        let expr = '*';
        if (s.field !== '*') {
          const f = schema.field(s.field);
          if (!['count', 'min', 'max'].includes(s.type) && !NUMERIC_TYPES.has(f.def.type)) {
            throw new MeridianError(
              UnsupportedQuery,
              `Statistic ${s.type} needs a numeric field; "${f.def.name}" is text.`,
            );
          }
          expr = `t."${f.column}"`;
        } else if (s.type !== 'count') {
          throw new MeridianError(UnsupportedQuery, `Statistic ${s.type} needs a field, not *.`);
        }
        select.push(`${d.stat(s.type, expr)} AS s${i}`);
        outNames.push(s.outName);
        byName.set(s.outName.toLowerCase(), `s${i}`);
      });
      if (select.length === groups.length) {
        throw new MeridianError(UnsupportedQuery, 'A statistics query needs at least one statistic.');
      }
      const order: string[] = [];
      for (const o of plan.orderBy) {
        const alias = byName.get(o.field.toLowerCase());
        if (alias && !order.some((x) => x.startsWith(`${alias} `)))
          order.push(`${alias} ${direction(o.dir)}`);
      }
      groups.forEach((_g, i) => {
        if (!order.some((x) => x.startsWith(`g${i} `))) order.push(`g${i} ASC NULLS FIRST`);
      });
      const groupSql = groups.length ? ` GROUP BY ${groups.map((_g, i) => `g${i}`).join(', ')}` : '';
      const orderSql = order.length ? ` ORDER BY ${order.join(', ')}` : '';
      const limit = plan.limit === undefined ? undefined : plan.limit + 1;
      const sql = `SELECT ${select.join(', ')} FROM ${from}${whereSql}${groupSql}${orderSql}${d.page(limit, plan.offset, p)}`;
      return { ...base, sql, params: p.values, outNames };
    }
  }
}
