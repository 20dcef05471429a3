import type { EsriGeometry, LayerDef, SpatialFilter } from '../plan.ts';
import { badQuery } from './errors.ts';
import { parseGeometryParam } from './geometry-param.ts';
import { boundsOf, envelopeRing, projectEnvelope, projectGeometry, verticesOf } from './projection.ts';
import { canonicalWkid, checkSupported, clip, parseSpatialReference, WGS84 } from './spatial-reference.ts';

/**
 * The spatial filter of a query: `geometry` + `geometryType` + `inSR` + `spatialRel`, projected
 * into the layer's spatial reference. inSR defaults to the geometry's own spatialReference, then
 * to the layer's (QGIS sends none). Tables ignore the geometry, as ArcGIS does.
 */

const RELATIONS: Record<string, SpatialFilter['rel']> = {
  esrispatialrelintersects: 'intersects',
  esrispatialrelenvelopeintersects: 'envelope-intersects',
};
const RELATION_NAMES = 'esriSpatialRelIntersects, esriSpatialRelEnvelopeIntersects';

export function parseSpatialFilter(
  get: (name: string) => string | undefined,
  layer: LayerDef,
): SpatialFilter | undefined {
  const raw = get('geometry');
  const rel = parseRelation(get('spatialRel'));
  if (raw === undefined || raw.trim() === '' || layer.geometryType === null) return undefined;
  const parsed = parseGeometryParam(raw, get('geometryType'));
  const inSR =
    parseSpatialReference('inSR', get('inSR'), layer.wkid) ??
    (parsed.wkid === undefined ? undefined : checkSupported('geometry', parsed.wkid, layer.wkid)) ??
    canonicalWkid(layer.wkid);

  let geometry: EsriGeometry;
  if (parsed.shape.kind === 'envelope') {
    checkLatitudes(envelopeRing(parsed.shape.envelope), inSR, 'in its spatial reference');
    geometry = { rings: [envelopeRing(projectEnvelope(parsed.shape.envelope, inSR, layer.wkid, 'inSR'))] };
  } else {
    checkLatitudes(verticesOf(parsed.shape.geometry), inSR, 'in its spatial reference');
    geometry = projectGeometry(parsed.shape.geometry, inSR, layer.wkid, 'inSR');
  }
  checkLatitudes(verticesOf(geometry), layer.wkid, "in the layer's spatial reference");
  return { envelope: boundsOf(verticesOf(geometry)), rel, geometry };
}

function parseRelation(raw: string | undefined): SpatialFilter['rel'] {
  if (raw === undefined || raw.trim() === '') return 'intersects';
  const rel = RELATIONS[raw.trim().toLowerCase()];
  if (!rel)
    throw badQuery('spatialRel', `'${clip(raw)}' is not supported; the supported ones are ${RELATION_NAMES}`);
  return rel;
}

function checkLatitudes(vertices: Iterable<number[]>, wkid: number, where: string): void {
  if (canonicalWkid(wkid) !== WGS84) return;
  for (const [, y] of vertices) {
    if (y! < -90 || y! > 90) throw badQuery('geometry', `latitude ${y} ${where} (4326) is beyond ±90`);
  }
}
