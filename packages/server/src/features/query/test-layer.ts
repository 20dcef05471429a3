import type { LayerDef } from '../plan.ts';

/** A layer definition the query tests share: points in WGS84 with one field of each type. */
export function testLayer(over: Partial<LayerDef> = {}): LayerDef {
  return {
    id: 0,
    name: 'Cities',
    geometryType: 'esriGeometryPoint',
    wkid: 4326,
    objectIdField: 'OBJECTID',
    fields: [
      { name: 'OBJECTID', type: 'esriFieldTypeOID', alias: 'OBJECTID', nullable: false },
      { name: 'Name', type: 'esriFieldTypeString', alias: 'City name', length: 40, nullable: true },
      { name: 'pop', type: 'esriFieldTypeInteger', alias: 'Population', nullable: true },
      { name: 'Area_km2', type: 'esriFieldTypeDouble', alias: 'Area', nullable: true },
      { name: 'Founded', type: 'esriFieldTypeDate', alias: 'Founded', nullable: true },
      { name: 'rank', type: 'esriFieldTypeSmallInteger', alias: 'rank', nullable: true },
    ],
    extent: { xmin: -10, ymin: 40, xmax: 20, ymax: 60 },
    featureCount: 3,
    ...over,
  };
}
