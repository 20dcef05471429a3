/**
 * What differs between the SQLite and the PostGIS SQL a plan compiles to: placeholders (and
 * PostgreSQL's parameter types), the FROM clause with its spatial index, the exact tests,
 * statistics SQLite lacks, and the geometry columns a feature row carries.
 */
import type { Literal, SpatialFilter, StatisticType } from '../plan.ts';

/** The parameters of one statement as it is being written. */
export interface Params {
  readonly values: unknown[];
  /** A placeholder for a value bound as a parameter (never spliced into the text). */
  add(v: Literal | Uint8Array): string;
}

export interface SqlDialect {
  params(): Params;
  /**
   * FROM … (aliasing the feature table as t), driven by the spatial index when filtered.
   * driveByIds: a few object ids choose the rows. whereOnly: the where clause alone chooses
   * them (no spatial filter, no object ids), so the whole table may have to be read.
   */
  from(spatial: SpatialFilter | undefined, driveByIds: boolean, whereOnly: boolean): string;
  /** Conditions of the spatial filter (index, exact envelope, exact geometry test). */
  spatialWhere(spatial: SpatialFilter, p: Params): string[];
  /** t.oid among these ids. */
  oidIn(ids: number[], p: Params): string;
  /** An aggregate over an expression. */
  stat(type: StatisticType, expr: string): string;
  /** LIMIT/OFFSET (limit undefined: no limit). */
  page(limit: number | undefined, offset: number, p: Params): string;
  /** ESCAPE clause when the LIKE has none (PostgreSQL's default escape is a backslash). */
  noEscape: string;
  /** The columns carrying a non-point geometry, selected after the envelope's xmin, ymin. */
  geometryColumn: string;
}
