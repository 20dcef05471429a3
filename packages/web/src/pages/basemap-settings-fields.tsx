import type { BasemapInput } from '../api/basemap.ts';
import { TextField } from '../components/text-field.tsx';

interface BasemapSettingsFieldsProps {
  /** null: no basemap. */
  value: BasemapInput | null;
  onChange(value: BasemapInput | null): void;
  /** Layers beyond the first (set through the API): kept as they are. */
  moreLayers: number;
}

const EMPTY: BasemapInput = { title: '', url: '', attribution: '' };

/**
 * The basemap of item maps, in Organization › Settings › General: none (the default: the map
 * draws on a plain background and works offline), or a tile server's URL template with a
 * title and an attribution.
 */
export function BasemapSettingsFields({ value, onChange, moreLayers }: BasemapSettingsFieldsProps) {
  return (
    <fieldset data-testid="basemap-fields">
      <legend>Basemap of item maps</legend>
      <div className="stack">
        <label className="check">
          <input type="radio" name="basemap" checked={value === null} onChange={() => onChange(null)} />
          None — the map works offline
        </label>
        <label className="check">
          <input
            type="radio"
            name="basemap"
            checked={value !== null}
            onChange={() => onChange(value ?? EMPTY)}
          />
          Tiles from a tile server
        </label>
        {value && (
          <>
            <TextField
              label="Tile URL template"
              type="text"
              inputMode="url"
              required
              maxLength={2048}
              placeholder="https://tiles.example.org/{z}/{x}/{y}.png"
              spellCheck={false}
              value={value.url}
              onChange={(url) => onChange({ ...value, url })}
            />
            <p className="hint">
              An https:// URL with {'{z}'}, {'{x}'} and {'{y}'} (or ArcGIS's {'{level}'}, {'{col}'} and{' '}
              {'{row}'}) in its path, or a tiled map service (…/MapServer). Visitors' browsers load the tiles
              from that server directly; the portal's pages allow images from its origin only.
            </p>
            <TextField
              label="Basemap title"
              required
              maxLength={200}
              value={value.title}
              onChange={(title) => onChange({ ...value, title })}
            />
            <TextField
              label="Attribution"
              maxLength={1000}
              placeholder="© OpenStreetMap contributors"
              value={value.attribution}
              onChange={(attribution) => onChange({ ...value, attribution })}
            />
            <p className="hint">Shown on the map, as the tile provider's terms ask.</p>
            {moreLayers > 0 && (
              <p className="hint">
                The basemap has {moreLayers} more layer{moreLayers > 1 ? 's' : ''} (set through the API),
                drawn above this one; saving keeps {moreLayers > 1 ? 'them' : 'it'}.
              </p>
            )}
          </>
        )}
      </div>
    </fieldset>
  );
}
