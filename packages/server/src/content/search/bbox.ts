import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { InvalidSearch } from '../errors.ts';
import type { Dialect } from './condition-sql.ts';

/** bbox=xmin,ymin,xmax,ymax: items whose extent touches it (edges included). */
export interface Bbox {
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
}

function bad(message: string): never {
  throw new MeridianError(InvalidSearch, message);
}

export function parseBbox(bbox: string): Bbox {
  const parts = bbox.split(',').map((s) => s.trim());
  const nums = parts.map(Number);
  if (parts.length !== 4 || parts.some((p) => p === '') || nums.some((n) => !Number.isFinite(n)))
    bad(`Invalid bbox '${bbox.slice(0, 60)}': write xmin,ymin,xmax,ymax, for example -10,40,5,52.`);
  const [xmin, ymin, xmax, ymax] = nums as [number, number, number, number];
  if (xmin > xmax || ymin > ymax)
    bad(`Invalid bbox '${bbox.slice(0, 60)}': xmin must not exceed xmax, nor ymin ymax.`);
  return { xmin, ymin, xmax, ymax };
}

/** The exact test on the extent columns of `alias` (an item without a whole extent fails it). */
function touches(alias: string, b: Bbox): RawBuilder<SqlBool> {
  const c = (name: string) => sql.ref(`${alias}.extent_${name}`);
  return sql<SqlBool>`${c('xmin')} <= ${b.xmax} AND ${c('xmax')} >= ${b.xmin} AND ${c('ymin')} <= ${b.ymax} AND ${c('ymax')} >= ${b.ymin}`;
}

/**
 * SQLite: the docs whose extent may touch the box, from the R*Tree. It stores 32-bit floats
 * rounded outwards, so this is a superset: bboxSql checks the extents exactly.
 */
export function sqliteBboxCandidates(b: Bbox): RawBuilder<{ doc: number }> {
  return sql`SELECT r.doc FROM search_extents r WHERE r.xmin <= ${b.xmax} AND r.xmax >= ${b.xmin} AND r.ymin <= ${b.ymax} AND r.ymax >= ${b.ymin}`;
}

/**
 * The bbox condition on search_docs `d`: the exact test, and with `indexed` the index of the
 * extents (the R*Tree on SQLite; on PostgreSQL the overlap test of the GiST index, whose
 * geometric comparisons allow a tiny tolerance). A page read in sort order leaves the index
 * out, so that the sort index is used.
 */
export function bboxSql(dialect: Dialect, b: Bbox, indexed = true): RawBuilder<SqlBool> {
  if (!indexed) return touches('d', b);
  if (dialect === 'sqlite') return sql<SqlBool>`d.doc IN (${sqliteBboxCandidates(b)}) AND ${touches('d', b)}`;
  return sql<SqlBool>`box(point(d.extent_xmin, d.extent_ymin), point(d.extent_xmax, d.extent_ymax)) && box(point(${b.xmin}, ${b.ymin}), point(${b.xmax}, ${b.ymax})) AND d.extent_xmin IS NOT NULL AND d.extent_ymin IS NOT NULL AND d.extent_xmax IS NOT NULL AND d.extent_ymax IS NOT NULL AND ${touches('d', b)}`;
}
