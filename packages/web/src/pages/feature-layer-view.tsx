import type { Basemap } from '../api/basemap.ts';
import { countFeatures, getLayer, type ServiceRef } from '../api/feature-service.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FeatureMap } from '../components/feature-map.tsx';
import { Loading } from '../components/loading.tsx';
import { useAsync } from '../lib/use-async.ts';
import { MAP_FEATURE_CAP, useLayerFeatures } from '../lib/use-layer-features.ts';
import { LayerDataTable } from './layer-data-table.tsx';
import { LayerFieldsTable } from './layer-fields-table.tsx';

interface FeatureLayerViewProps {
  serviceRef: ServiceRef;
  layerId: number;
  basemap: Basemap | null;
}

const number = new Intl.NumberFormat();

/** One layer (or table) of a feature service: its map, its fields and its attributes. */
export function FeatureLayerView({ serviceRef, layerId, basemap }: FeatureLayerViewProps) {
  const layer = useAsync(() => getLayer(serviceRef, layerId), [serviceRef, layerId]);
  const count = useAsync(() => countFeatures(serviceRef, layerId), [serviceRef, layerId]);
  const features = useLayerFeatures(serviceRef, layer.data);
  const l = layer.data;

  if (layer.error) return <ErrorAlert error={layer.error} />;
  if (!l) return <Loading />;
  const total = count.data;
  return (
    <div className="stack">
      {l.geometryType && (
        <figure className="map-figure">
          <FeatureMap
            source={features.source}
            extent={l.extent}
            basemap={basemap}
            label={`Map of the features of ${l.name}`}
          />
          <figcaption className="hint" data-testid="map-caption">
            {features.error
              ? null
              : !features.done
                ? `Loading features… ${number.format(features.loaded)} so far.`
                : features.truncated
                  ? `The map shows the first ${number.format(MAP_FEATURE_CAP)} of ${total === null ? 'more' : number.format(total)} features.`
                  : `The map shows all ${number.format(features.loaded)} features.`}
            {basemap
              ? ` Basemap: ${basemap.title}.`
              : ' No basemap (Organization › Settings › General): the map works offline.'}
          </figcaption>
          <ErrorAlert error={features.error} />
        </figure>
      )}
      <LayerFieldsTable layer={l} />
      <ErrorAlert error={count.error} />
      <LayerDataTable serviceRef={serviceRef} layer={l} total={total} />
    </div>
  );
}
