import type { GeometryType } from '../plan.ts';

/**
 * The default drawingInfo renderer of a layer: a simple renderer with one symbol suited to the
 * geometry type (a small circle, a thin line, a translucent fill with an outline), so that Map
 * Viewer and QGIS draw a freshly published layer legibly.
 */

const BLUE = [0, 112, 255, 255];
const DARK_BLUE = [0, 70, 160, 255];

export function simpleRenderer(geometryType: GeometryType): Record<string, unknown> {
  return { type: 'simple', label: '', description: '', symbol: symbolFor(geometryType) };
}

function symbolFor(geometryType: GeometryType): Record<string, unknown> {
  switch (geometryType) {
    case 'esriGeometryPoint':
    case 'esriGeometryMultipoint':
      return {
        type: 'esriSMS',
        style: 'esriSMSCircle',
        color: BLUE,
        size: 6,
        angle: 0,
        xoffset: 0,
        yoffset: 0,
        outline: { type: 'esriSLS', style: 'esriSLSSolid', color: [255, 255, 255, 255], width: 0.75 },
      };
    case 'esriGeometryPolyline':
      return { type: 'esriSLS', style: 'esriSLSSolid', color: BLUE, width: 1.5 };
    case 'esriGeometryPolygon':
      return {
        type: 'esriSFS',
        style: 'esriSFSSolid',
        color: [0, 112, 255, 64],
        outline: { type: 'esriSLS', style: 'esriSLSSolid', color: DARK_BLUE, width: 0.75 },
      };
  }
}
