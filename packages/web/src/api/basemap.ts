/**
 * The organization's basemap for item maps: portals/self `defaultBasemap` as ArcGIS portals
 * describe it (`baseMapLayers` of tiled layers: a WebTiledLayer `templateUrl` such as
 * `https://tiles.example.org/{level}/{col}/{row}.png`, or a tiled map service `url`), read as
 * XYZ tile URLs for OpenLayers, and written back from the settings form. Without one the map
 * draws on a plain background: it works offline.
 */
import type { BasemapLayerJson, DefaultBasemapJson } from '@meridian/server/portal/schemas.ts';
import { request } from './client.ts';

/** One tiled layer, as the map draws it. */
export interface BasemapTiles {
  /** An XYZ template with {z}/{x}/{y}. */
  tileUrl: string;
  attribution?: string;
}

export interface Basemap {
  title: string;
  /** Bottom first. */
  layers: BasemapTiles[];
}

/** ArcGIS WebTiledLayer placeholders ({level}/{col}/{row}) as XYZ ones; a MapServer's /tile/ URL otherwise. */
export function tileTemplateOf(layer: Partial<{ templateUrl: string; url: string }>): string | null {
  if (layer.templateUrl)
    return layer.templateUrl
      .replaceAll('{level}', '{z}')
      .replaceAll('{col}', '{x}')
      .replaceAll('{row}', '{y}');
  if (layer.url && /MapServer\/?$/i.test(layer.url))
    return `${layer.url.replace(/\/+$/, '')}/tile/{z}/{y}/{x}`;
  return null;
}

/** The basemap the map draws for portals/self's defaultBasemap, or null without a drawable one. */
export function basemapOf(json: DefaultBasemapJson | undefined): Basemap | null {
  const layers: BasemapTiles[] = [];
  for (const layer of json?.baseMapLayers ?? []) {
    const tileUrl = tileTemplateOf(layer);
    if (tileUrl) layers.push({ tileUrl, ...(layer.copyright ? { attribution: layer.copyright } : {}) });
  }
  return json && layers.length ? { title: json.title, layers } : null;
}

export async function getBasemap(): Promise<Basemap | null> {
  const self = await request<{ defaultBasemap?: DefaultBasemapJson }>('/sharing/rest/portals/self');
  return basemapOf(self.defaultBasemap);
}

/** What the settings form edits: the first (bottom) layer; the others are kept as they are. */
export interface BasemapInput {
  title: string;
  /** A tile URL template, or a tiled map service URL (…/MapServer). */
  url: string;
  attribution: string;
}

/** The form's view of a stored basemap (empty fields without one). */
export function basemapInputOf(json: DefaultBasemapJson | undefined): BasemapInput {
  const first = json?.baseMapLayers[0];
  return {
    title: json?.title ?? '',
    url: first ? ('templateUrl' in first ? first.templateUrl : first.url) : '',
    attribution: first?.copyright ?? '',
  };
}

/** The defaultBasemap parameter for the form's values: '' removes the basemap. */
export function basemapParam(input: BasemapInput | null, stored: DefaultBasemapJson | undefined): string {
  if (!input) return '';
  const url = input.url.trim();
  const id = stored?.baseMapLayers[0]?.id;
  const kept = id ? { id } : {};
  const credit = input.attribution.trim() ? { copyright: input.attribution.trim() } : {};
  const first: BasemapLayerJson = /\/MapServer\/?$/i.test(url)
    ? { ...kept, layerType: 'ArcGISTiledMapServiceLayer', url, ...credit }
    : { ...kept, layerType: 'WebTiledLayer', templateUrl: url, ...credit };
  const json: DefaultBasemapJson = {
    title: input.title.trim(),
    baseMapLayers: [first, ...(stored?.baseMapLayers.slice(1) ?? [])],
  };
  return JSON.stringify(json);
}
