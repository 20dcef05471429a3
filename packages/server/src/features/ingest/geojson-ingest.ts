/**
 * The two passes over a GeoJSON FeatureCollection: the first checks every feature and infers
 * the geometry type and fields (one geometry family per file: Point and MultiPoint together
 * make a multipoint layer; no geometry at all makes a table), the second converts and writes.
 */
import { MeridianError } from '../../kernel/errors/meridian-error.ts';
import { BadGeojson } from './errors.ts';
import { featureLabel } from './feature-label.ts';
import { convertValue, FieldStats, inferFields } from './field-inference.ts';
import { geojsonFeatures } from './geojson-features.ts';
import { FAMILY_TYPES, type Family, geometryFamily, toEsriGeometry } from './geojson-geometry.ts';
import type { Batcher, Open, ScannedLayer } from './layer-plan.ts';

interface RawFeature {
  type?: unknown;
  geometry?: unknown;
  properties?: unknown;
}

function feature(v: unknown, index: number): RawFeature {
  const f = v as RawFeature;
  if (f === null || typeof f !== 'object' || f.type !== 'Feature') {
    throw new MeridianError(BadGeojson, `${featureLabel(index)}: its "type" is not "Feature".`);
  }
  if (
    f.properties !== undefined &&
    f.properties !== null &&
    (typeof f.properties !== 'object' || Array.isArray(f.properties))
  ) {
    throw new MeridianError(BadGeojson, `${featureLabel(index)}: "properties" is not an object.`);
  }
  return f;
}

export async function scanGeojson(
  open: Open,
  wkid: number,
  onCount: (n: number) => void,
): Promise<ScannedLayer> {
  const stats = new Map<string, FieldStats>();
  let family: Family | null = null;
  let firstAt = -1;
  let index = 0;
  for await (const batch of geojsonFeatures(open())) {
    for (const v of batch) {
      const f = feature(v, index);
      const fam = geometryFamily(f.geometry, index);
      if (fam) {
        toEsriGeometry(f.geometry, index, fam, wkid === 4326);
        if (family === null) {
          family = fam;
          firstAt = index;
        } else if (fam !== family) {
          const points = new Set([fam, family]);
          if (points.size === 2 && points.has('point') && points.has('multipoint')) family = 'multipoint';
          else {
            throw new MeridianError(
              BadGeojson,
              `${featureLabel(index)}: its geometry is a ${fam} while that of ${featureLabel(firstAt)} is a ${family}; a layer holds one geometry type (split the file by type).`,
            );
          }
        }
      }
      const props = (f.properties ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(props)) {
        let s = stats.get(key);
        if (!s) {
          s = new FieldStats(key);
          // Features before this one had no such property.
          s.nulls = index;
          stats.set(key, s);
        }
        s.see(props[key]);
      }
      index++;
    }
    onCount(index);
  }
  const { fields, objectIdField } = inferFields([...stats.values()]);
  return { geometryType: family && FAMILY_TYPES[family], fields, objectIdField, count: index };
}

export async function loadGeojson(open: Open, scan: ScannedLayer, wkid: number, out: Batcher): Promise<void> {
  const family = (Object.keys(FAMILY_TYPES) as Family[]).find((k) => FAMILY_TYPES[k] === scan.geometryType);
  let index = 0;
  for await (const batch of geojsonFeatures(open())) {
    for (const v of batch) {
      const f = v as RawFeature;
      const props = (f.properties ?? {}) as Record<string, unknown>;
      const attributes: Record<string, ReturnType<typeof convertValue>> = {};
      for (const field of scan.fields)
        attributes[field.def.name] = convertValue(props[field.source], field.def.type);
      const geometry = family ? toEsriGeometry(f.geometry, index, family, wkid === 4326) : null;
      await out.add({ attributes, geometry });
      index++;
    }
  }
  await out.flush();
}
