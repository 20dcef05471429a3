/**
 * The SQLite side of compiled queries: `?` placeholders, the R*Tree driving the join when a
 * spatial filter is present (CROSS JOIN fixes that order, so the planner never scans the
 * layer; the R*Tree's id is the row's rowid in both layouts of sqlite-layer-writer.ts, and
 * `t.oid` its object id, the rowid itself or an indexed column), exact envelope columns for
 * what the R*Tree's 32-bit bounds round, and the exact geometry test as an application
 * function over the few candidates.
 */
import type { Literal, SpatialFilter, StatisticType } from '../plan.ts';
import type { Params, SqlDialect } from './sql-dialect.ts';

class SqliteParams implements Params {
  readonly values: unknown[] = [];
  add(v: Literal | Uint8Array): string {
    if (v === null) return 'NULL';
    this.values.push(v);
    return `?${this.values.length}`;
  }
}

/** The table numbers of a layer and the exact test registered for this query (if any). */
export function sqliteDialect(tbl: number, intersectsToken: () => number): SqlDialect {
  return {
    params: () => new SqliteParams(),
    from(spatial, driveByIds, whereOnly) {
      // Rows chosen by the where clause alone are read in the table's order, then sorted: walking
      // the object-id index of a layer in Z-order to find them would look up rows all over
      // the file (one match in a million points: 2 s instead of 45 ms). A table in arrival
      // order is already in object-id order and needs no sort.
      if (!spatial) return whereOnly ? `"f${tbl}" t NOT INDEXED` : `"f${tbl}" t`;
      return driveByIds
        ? `"f${tbl}" t JOIN "r${tbl}" r ON r.id = t.rowid`
        : `"r${tbl}" r CROSS JOIN "f${tbl}" t ON t.rowid = r.id`;
    },
    spatialWhere(s: SpatialFilter, p) {
      const e = s.envelope;
      const [xmin, ymin, xmax, ymax] = [p.add(e.xmin), p.add(e.ymin), p.add(e.xmax), p.add(e.ymax)];
      const out = [
        `r.minx <= ${xmax} AND r.maxx >= ${xmin} AND r.miny <= ${ymax} AND r.maxy >= ${ymin}`,
        `t.minx <= ${xmax} AND t.maxx >= ${xmin} AND t.miny <= ${ymax} AND t.maxy >= ${ymin}`,
      ];
      if (s.rel === 'intersects')
        out.push(`meridian_intersects(t.g, t.minx, t.miny, ${p.add(intersectsToken())})`);
      return out;
    },
    oidIn(ids, p) {
      return `t.oid IN (SELECT value FROM json_each(${p.add(JSON.stringify(ids))}))`;
    },
    stat(type: StatisticType, x: string) {
      switch (type) {
        case 'count':
          return `COUNT(${x})`;
        case 'sum':
          return `SUM(${x})`;
        case 'min':
          return `MIN(${x})`;
        case 'max':
          return `MAX(${x})`;
        case 'avg':
          return `AVG(${x})`;
        case 'var':
          return `meridian_var(${x})`;
        case 'stddev':
          return `meridian_stddev(${x})`;
      }
    },
    page(limit, offset, p) {
      if (limit === undefined && offset === 0) return '';
      return ` LIMIT ${limit === undefined ? '-1' : p.add(limit)} OFFSET ${p.add(offset)}`;
    },
    noEscape: '',
    geometryColumn: 't.g',
  };
}
