import 'ol/ol.css';
import { isEmpty } from 'ol/extent.js';
import type BaseLayer from 'ol/layer/Base.js';
import TileLayer from 'ol/layer/Tile.js';
import VectorLayer from 'ol/layer/Vector.js';
import OlMap from 'ol/Map.js';
import { transformExtent } from 'ol/proj.js';
import type VectorSource from 'ol/source/Vector.js';
import XYZ from 'ol/source/XYZ.js';
import { Circle, Fill, Stroke, Style } from 'ol/style.js';
import View from 'ol/View.js';
import { useEffect, useRef, useState } from 'react';
import type { Basemap } from '../api/basemap.ts';
import type { Extent } from '../api/feature-service.ts';

const FILL = new Fill({ color: 'rgba(0, 92, 175, 0.25)' });
const STROKE = new Stroke({ color: '#005caf', width: 1.5 });
const STYLE = new Style({
  fill: FILL,
  stroke: STROKE,
  image: new Circle({ radius: 4, fill: FILL, stroke: STROKE }),
});

/** A layer extent in the map's projection (Web Mercator) when its spatial reference is one the map knows. */
export function mapExtentOf(extent: Extent | undefined): number[] | null {
  if (!extent || ![extent.xmin, extent.ymin, extent.xmax, extent.ymax].every(Number.isFinite)) return null;
  const wkid = extent.spatialReference?.latestWkid ?? extent.spatialReference?.wkid;
  const box = [extent.xmin, extent.ymin, extent.xmax, extent.ymax];
  if (wkid === 4326) return transformExtent(box, 'EPSG:4326', 'EPSG:3857');
  if (wkid === 3857 || wkid === 102100) return box;
  return null;
}

interface FeatureMapProps {
  /** The features to draw, in Web Mercator (the caller fills it page by page). */
  source: VectorSource;
  /** The layer's extent: the view is fitted to it, or to the features when it is unknown. */
  extent?: Extent;
  /** Tiles under the features; none draws them on a plain background (works offline). */
  basemap: Basemap | null;
  label: string;
}

/** Text as HTML: OpenLayers writes attributions as markup, and an attribution is plain text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The basemap's tiled layers, bottom first; `onError` hears of a tile that did not load. */
function tileLayers(basemap: Basemap, onError: (tileUrl: string) => void): TileLayer[] {
  return basemap.layers.map((l) => {
    const source = new XYZ({
      url: l.tileUrl,
      attributions: l.attribution ? escapeHtml(l.attribution) : undefined,
      attributionsCollapsible: false,
      // Tiles are read as CORS images: the canvas stays readable (the tile server must allow it).
      crossOrigin: 'anonymous',
    });
    source.on('tileloaderror', () => onError(l.tileUrl));
    return new TileLayer({ source });
  });
}

/** A map of a layer's features (OpenLayers, canvas), fitted to the layer, with an optional raster basemap. */
export function FeatureMap({ source, extent, basemap, label }: FeatureMapProps) {
  const target = useRef<HTMLDivElement>(null);
  const [tileError, setTileError] = useState<string | null>(null);

  useEffect(() => {
    if (!target.current) return;
    setTileError(null);
    const layers: BaseLayer[] = basemap ? tileLayers(basemap, setTileError) : [];
    layers.push(new VectorLayer({ source, style: STYLE }));
    const map = new OlMap({ target: target.current, layers, view: new View({ center: [0, 0], zoom: 1 }) });
    const fit = (box: number[] | null) => {
      if (box && !isEmpty(box)) map.getView().fit(box, { padding: [20, 20, 20, 20], maxZoom: 18 });
    };
    const layerBox = mapExtentOf(extent);
    if (layerBox) fit(layerBox);
    // Without a usable layer extent, fit to the features once the first ones are there.
    const onAdd = () => {
      if (!layerBox) fit(source.getExtent());
    };
    source.on('change', onAdd);
    if (!layerBox && source.getFeatures().length) fit(source.getExtent());
    return () => {
      source.un('change', onAdd);
      map.setTarget(undefined);
      map.dispose();
    };
  }, [source, extent, basemap]);

  return (
    <>
      <div ref={target} className="feature-map" role="img" aria-label={label} data-testid="feature-map" />
      {tileError && (
        <p className="hint" role="status" data-testid="basemap-error">
          Some basemap tiles did not load from {originOf(tileError)}: the tile server may be down or
          unreachable from this browser, or may not allow cross-origin requests (CORS). The features are drawn
          anyway.
        </p>
      )}
    </>
  );
}

function originOf(url: string): string {
  try {
    return new URL(url.replace(/\{[xyz]\}/g, '0')).origin;
  } catch {
    return url;
  }
}
