import GeoJSON from 'ol/format/GeoJSON.js';
import VectorSource from 'ol/source/Vector.js';
import { useEffect, useMemo, useState } from 'react';
import { type LayerJson, loadGeoJson, type ServiceRef } from '../api/feature-service.ts';

/** The most features the item map draws; the page says so when a layer has more. */
export const MAP_FEATURE_CAP = 10_000;

export interface LayerFeatures {
  source: VectorSource;
  loaded: number;
  /** The layer has more features than the map draws. */
  truncated: boolean;
  done: boolean;
  error: unknown;
}

/** Loads a layer's features (GeoJSON in WGS 84, paged, at most MAP_FEATURE_CAP) into a map source. */
export function useLayerFeatures(ref: ServiceRef | null, layer: LayerJson | null): LayerFeatures {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new layer gets a new source
  const source = useMemo(() => new VectorSource(), [ref?.url, layer?.id]);
  const [state, setState] = useState({ loaded: 0, truncated: false, done: false, error: null as unknown });

  useEffect(() => {
    setState({ loaded: 0, truncated: false, done: false, error: null });
    if (!ref || !layer?.geometryType) return;
    const signal = { aborted: false };
    const format = new GeoJSON({ dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' });
    loadGeoJson(
      ref,
      layer,
      MAP_FEATURE_CAP,
      (features) => {
        source.addFeatures(format.readFeatures({ type: 'FeatureCollection', features }));
        setState((s) => ({ ...s, loaded: source.getFeatures().length }));
      },
      signal,
    )
      .then((r) => {
        if (!signal.aborted) setState({ loaded: r.loaded, truncated: r.truncated, done: true, error: null });
      })
      .catch((error: unknown) => {
        if (!signal.aborted) setState((s) => ({ ...s, done: true, error }));
      });
    return () => {
      signal.aborted = true;
    };
  }, [source, ref, layer]);

  return { source, ...state };
}
