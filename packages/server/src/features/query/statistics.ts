import type { LayerDef, Statistic, StatisticType } from '../plan.ts';
import { badQuery } from './errors.ts';
import { fieldList, findField, kindOf } from './fields.ts';
import { clip } from './spatial-reference.ts';

/**
 * `outStatistics` (a JSON array of {statisticType, onStatisticField, outStatisticFieldName})
 * and `groupByFieldsForStatistics`. An omitted outStatisticFieldName becomes
 * `<statisticType>_<field>` (the ArcGIS documentation only says "the server assigns one").
 */

export const STATISTIC_TYPES: readonly StatisticType[] = [
  'count',
  'sum',
  'min',
  'max',
  'avg',
  'stddev',
  'var',
];
const NUMERIC_ONLY = new Set<StatisticType>(['sum', 'avg', 'stddev', 'var']);
const OUT_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const MAX_STATISTICS = 50;

export interface ParsedStatistics {
  statistics: Statistic[];
  groupBy: string[];
}

export function parseStatistics(
  rawStats: string | undefined,
  rawGroupBy: string | undefined,
  layer: LayerDef,
): ParsedStatistics | undefined {
  const hasGroupBy = rawGroupBy !== undefined && rawGroupBy.trim() !== '';
  if (rawStats === undefined || rawStats.trim() === '') {
    if (hasGroupBy)
      throw badQuery('groupByFieldsForStatistics', 'is only allowed together with outStatistics');
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(rawStats);
  } catch {
    throw badQuery('outStatistics', `not valid JSON: '${clip(rawStats)}'`);
  }
  if (!Array.isArray(json) || json.length === 0 || json.length > MAX_STATISTICS) {
    throw badQuery('outStatistics', `expected a JSON array of 1 to ${MAX_STATISTICS} statistic definitions`);
  }
  const groupBy = hasGroupBy ? parseGroupBy(rawGroupBy!, layer) : [];
  const taken = new Set(groupBy.map((g) => g.toLowerCase()));
  const statistics = json.map((item, i) => {
    const s = parseOne(item, i, layer);
    if (taken.has(s.outName.toLowerCase())) {
      throw badQuery('outStatistics', `[${i}]: the output name '${s.outName}' is used twice`);
    }
    taken.add(s.outName.toLowerCase());
    return s;
  });
  return { statistics, groupBy };
}

function parseOne(item: unknown, i: number, layer: LayerDef): Statistic {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw badQuery(
      'outStatistics',
      `[${i}] must be an object {statisticType, onStatisticField, outStatisticFieldName}`,
    );
  }
  const o = item as Record<string, unknown>;
  const rawType = typeof o.statisticType === 'string' ? o.statisticType.toLowerCase() : '';
  const type = STATISTIC_TYPES.find((t) => t === rawType);
  if (!type) {
    throw badQuery(
      'outStatistics',
      `[${i}].statisticType '${clip(String(o.statisticType))}' is not one of ${STATISTIC_TYPES.join(', ')}`,
    );
  }
  if (typeof o.onStatisticField !== 'string' || o.onStatisticField.trim() === '') {
    throw badQuery('outStatistics', `[${i}].onStatisticField must name a field`);
  }
  const fieldName = o.onStatisticField.trim();
  let field: string;
  if (fieldName === '*' && type === 'count') {
    field = '*';
  } else {
    const f = findField(layer, fieldName);
    if (!f) {
      throw badQuery(
        'outStatistics',
        `[${i}].onStatisticField: unknown field '${clip(fieldName)}' (the layer's fields: ${fieldList(layer)})`,
      );
    }
    if (NUMERIC_ONLY.has(type) && kindOf(f) !== 'number') {
      throw badQuery('outStatistics', `[${i}]: ${type} needs a numeric field; '${f.name}' is ${f.type}`);
    }
    field = f.name;
  }
  const given = o.outStatisticFieldName;
  if (
    given !== undefined &&
    given !== null &&
    given !== '' &&
    (typeof given !== 'string' || !OUT_NAME.test(given))
  ) {
    throw badQuery(
      'outStatistics',
      `[${i}].outStatisticFieldName '${clip(String(given))}' may hold only letters, digits and underscores (not starting with a digit)`,
    );
  }
  const outName =
    typeof given === 'string' && given !== '' ? given : `${type}_${field === '*' ? 'all' : field}`;
  return { type, field, outName };
}

function parseGroupBy(raw: string, layer: LayerDef): string[] {
  const names: string[] = [];
  for (const part of raw.split(',')) {
    const name = part.trim();
    if (name === '') continue;
    const f = findField(layer, name);
    if (!f) {
      throw badQuery(
        'groupByFieldsForStatistics',
        `unknown field '${clip(name)}' (the layer's fields: ${fieldList(layer)})`,
      );
    }
    if (!names.includes(f.name)) names.push(f.name);
  }
  return names;
}
