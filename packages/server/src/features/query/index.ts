/**
 * GeoServices feature-service queries, as pure functions (no I/O): parameters in, a QueryPlan
 * for a FeatureStore (plan.ts), the store's QueryResult out as the response body.
 *
 *   const parsed = parseQuery(params, layer, { maxRecordCount });   // throws features.bad_query / bad_where (400)
 *   const result = await store.query(serviceKey, layer.id, parsed.plan);
 *   const body = serialize(layer, result, parsed);                   // { outSR, format, plan }
 *
 * - parseQuery(params, layer, { maxRecordCount }) → { plan, outSR, format }: every parameter of
 *   …/query the engine acts on (where, objectIds, geometry/geometryType/inSR/spatialRel, outFields,
 *   returnGeometry, outSR, returnIdsOnly/CountOnly/ExtentOnly, orderByFields, resultOffset,
 *   resultRecordCount (capped at maxRecordCount, never refused), outStatistics with
 *   groupByFieldsForStatistics, f). Parameter names are case-insensitive; unknown ones are ignored.
 * - serialize(layer, result, { outSR, format, plan? }) → Esri JSON (f=json/pjson: the caller
 *   pretty-prints pjson) or GeoJSON (always WGS84).
 * - layerJson(layer, { maxRecordCount }) → …/FeatureServer/<id>;
 *   serviceJson(layers, { maxRecordCount, serviceDescription? }) → …/FeatureServer.
 * - parseWhere(where, layer) → Expr, for other callers of the where-clause grammar.
 * - BadQuery, BadWhere: the error specs (codes features.bad_query, features.bad_where).
 */
export { BadQuery, BadWhere } from './errors.ts';
export { layerJson, type ResourceOptions, serviceJson } from './layer-json.ts';
export { type ParsedQuery, parseQuery, type QueryFormat } from './params.ts';
export { type SerializeOptions, serialize } from './serialize.ts';
export { parseWhere } from './where.ts';
