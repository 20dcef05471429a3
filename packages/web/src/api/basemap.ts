/**
 * The organization's basemap for item maps, if it has one: portals/self `defaultBasemap` as
 * ArcGIS portals describe it (`baseMapLayers` with a tiled layer's `templateUrl`, e.g.
 * `https://tiles.example.org/{level}/{col}/{row}.png`, or a tile service `url`). The portal
 * has no such setting yet, so this answers null and the map draws on a plain background: it
 * works offline. This is the seam where a portal setting plugs in.
 */
import { request } from './client.ts';

export interface Basemap {
  title: string;
  /** An XYZ template with {z}/{x}/{y}. */
  tileUrl: string;
  attribution?: string;
}

interface BasemapLayerJson {
  layerType?: string;
  templateUrl?: string;
  url?: string;
  copyright?: string;
}

/** ArcGIS WebTiledLayer placeholders ({level}/{col}/{row}) as XYZ ones; a MapServer's /tile/ URL otherwise. */
export function tileTemplateOf(layer: BasemapLayerJson): string | null {
  if (layer.templateUrl)
    return layer.templateUrl
      .replaceAll('{level}', '{z}')
      .replaceAll('{col}', '{x}')
      .replaceAll('{row}', '{y}');
  if (layer.url && /MapServer\/?$/i.test(layer.url))
    return `${layer.url.replace(/\/+$/, '')}/tile/{z}/{y}/{x}`;
  return null;
}

export async function getBasemap(): Promise<Basemap | null> {
  const self = await request<{ defaultBasemap?: { title?: string; baseMapLayers?: BasemapLayerJson[] } }>(
    '/sharing/rest/portals/self',
  );
  const layer = self.defaultBasemap?.baseMapLayers?.[0];
  const tileUrl = layer ? tileTemplateOf(layer) : null;
  if (!tileUrl) return null;
  return { title: self.defaultBasemap?.title ?? 'Basemap', tileUrl, attribution: layer?.copyright };
}
