import { defineError, MeridianError } from '../../kernel/errors/meridian-error.ts';

/** Errors of GeoServices query parameters: one family, 400, the message names the parameter. */

export const BadQuery = defineError({
  code: 'features.bad_query',
  status: 400,
  summary: 'A parameter of the feature service query is invalid.',
  fix: 'Correct the parameter named in the message (see the ArcGIS REST API "Query (Feature Service/Layer)") and send the query again.',
});

export const BadWhere = defineError({
  code: 'features.bad_where',
  status: 400,
  summary: 'The where clause is not in the SQL subset a feature service accepts.',
  fix: 'Use field comparisons (= <> < <= > >=), LIKE, IN, BETWEEN, IS NULL, AND/OR/NOT, UPPER/LOWER and DATE/TIMESTAMP literals; the message names the position of the problem.',
});

/** A bad query parameter: `'<param>': <what is wrong>`. */
export function badQuery(param: string, problem: string): MeridianError {
  return new MeridianError(BadQuery, `Invalid query parameter '${param}': ${problem}`);
}

/** A bad where clause at a 1-based character position. */
export function badWhere(position: number, problem: string): MeridianError {
  return new MeridianError(BadWhere, `Invalid 'where' at character ${position}: ${problem}`);
}
