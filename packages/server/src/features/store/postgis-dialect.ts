/**
 * The PostGIS side of compiled queries: `$n` placeholders typed by their value (so that
 * PostgreSQL never guesses a parameter's type from a column), the GiST index through `&&`,
 * exact envelope columns, ST_Intersects for the exact test, and native var_samp/stddev_samp.
 */
import type { Literal, SpatialFilter, StatisticType } from '../plan.ts';
import type { Params, SqlDialect } from './sql-dialect.ts';
import { toWkb } from './wkb.ts';

class PgParams implements Params {
  readonly values: unknown[] = [];
  add(v: Literal | Uint8Array): string {
    if (v === null) return 'NULL';
    this.values.push(v);
    const cast = typeof v === 'number' ? 'float8' : typeof v === 'string' ? 'text' : 'bytea';
    return `$${this.values.length}::${cast}`;
  }
  typed(v: unknown, cast: string): string {
    this.values.push(v);
    return `$${this.values.length}::${cast}`;
  }
}

export function postgisDialect(table: string, srid: number): SqlDialect {
  return {
    params: () => new PgParams(),
    from: () => `${table} t`,
    spatialWhere(s: SpatialFilter, p) {
      const e = s.envelope;
      const [xmin, ymin, xmax, ymax] = [p.add(e.xmin), p.add(e.ymin), p.add(e.xmax), p.add(e.ymax)];
      const out = [
        `t.geom && ST_MakeEnvelope(${xmin}, ${ymin}, ${xmax}, ${ymax}, ${srid})`,
        `t.minx <= ${xmax} AND t.maxx >= ${xmin} AND t.miny <= ${ymax} AND t.maxy >= ${ymin}`,
      ];
      if (s.rel === 'intersects') {
        out.push(`ST_Intersects(t.geom, ST_GeomFromWKB(${p.add(toWkb(s.geometry))}, ${srid}))`);
      }
      return out;
    },
    oidIn(ids, p) {
      return `t.oid = ANY(${(p as PgParams).typed(ids, 'int4[]')})`;
    },
    stat(type: StatisticType, x: string) {
      switch (type) {
        case 'count':
          return `COUNT(${x})::float8`;
        case 'sum':
          return `SUM(${x})::float8`;
        case 'min':
          return `MIN(${x})`;
        case 'max':
          return `MAX(${x})`;
        case 'avg':
          return `AVG(${x})::float8`;
        case 'var':
          return `VAR_SAMP(${x})::float8`;
        case 'stddev':
          return `STDDEV_SAMP(${x})::float8`;
      }
    },
    page(limit, offset, p) {
      const pp = p as PgParams;
      return `${limit === undefined ? '' : ` LIMIT ${pp.typed(limit, 'int8')}`}${offset ? ` OFFSET ${pp.typed(offset, 'int8')}` : ''}`;
    },
    noEscape: " ESCAPE ''",
    geometryColumn: 'ST_AsBinary(t.geom)',
  };
}
