import { type FormEvent, useState } from 'react';
import { type BasemapInput, basemapInputOf, basemapParam } from '../api/basemap.ts';
import { updatePortal } from '../api/portal.ts';
import type { DefaultItemAccess, PortalSelf } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { SharingLevelSelect } from '../components/sharing-level-select.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { BasemapSettingsFields } from './basemap-settings-fields.tsx';

/** The most the portal allows for a token lifetime: two weeks, in minutes. */
const MAX_MINUTES = 20160;

function minutesValue(text: string, label: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_MINUTES)
    throw new Error(`${label} must be a whole number of minutes from 1 to ${MAX_MINUTES} (two weeks).`);
  return n;
}

/** The input attributes of a token lifetime: whole minutes, within what the portal allows. */
const MINUTES_INPUT = { type: 'number', min: 1, max: MAX_MINUTES, required: true } as const;

interface OrganizationSettingsFormProps {
  portal: PortalSelf;
  /** The form is mounted again with the saved settings afterwards. */
  onSaved(message: string): void;
}

export function OrganizationSettingsForm({ portal, onSaved }: OrganizationSettingsFormProps) {
  const [name, setName] = useState(portal.name);
  const [description, setDescription] = useState(portal.description);
  const [maxMinutes, setMaxMinutes] = useState(String(portal.maxTokenExpirationMinutes));
  const [defaultMinutes, setDefaultMinutes] = useState(String(portal.defaultTokenExpirationMinutes));
  const [access, setAccess] = useState<DefaultItemAccess>(portal.defaultItemAccess);
  const stored = portal.defaultBasemap;
  const [basemap, setBasemap] = useState<BasemapInput | null>(stored ? basemapInputOf(stored) : null);
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const max = minutesValue(maxMinutes, 'The maximum token lifetime');
      const def = minutesValue(defaultMinutes, 'The default token lifetime');
      if (def > max) throw new Error('The default token lifetime cannot be longer than the maximum.');
      if (!name.trim()) throw new Error('Give the organization a name.');
      if (basemap && !basemap.url.trim()) throw new Error('Give the basemap a tile URL, or choose None.');
      if (basemap && !basemap.title.trim()) throw new Error('Give the basemap a title.');
      await updatePortal({
        name: name.trim(),
        description,
        maxTokenExpirationMinutes: max,
        defaultTokenExpirationMinutes: def,
        defaultItemAccess: access,
        defaultBasemap: basemapParam(basemap, stored),
      });
      onSaved('Settings saved.');
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Organization settings" data-testid="settings-form">
      <TextField label="Name" required maxLength={250} value={name} onChange={setName} />
      <TextAreaField label="Description" rows={4} value={description} onChange={setDescription} />
      <fieldset>
        <legend>Tokens</legend>
        <div className="stack">
          <TextField
            label="Maximum token lifetime (minutes)"
            {...MINUTES_INPUT}
            value={maxMinutes}
            onChange={setMaxMinutes}
          />
          <p className="hint">
            A client asking for a longer token gets one of this lifetime. At most {MAX_MINUTES} minutes (two
            weeks).
          </p>
          <TextField
            label="Default token lifetime (minutes)"
            {...MINUTES_INPUT}
            value={defaultMinutes}
            onChange={setDefaultMinutes}
          />
          <p className="hint">For tokens requested without a lifetime, and for web UI sessions.</p>
        </div>
      </fieldset>
      <SharingLevelSelect label="Default sharing of new items" value={access} onChange={setAccess} />
      <p className="hint">
        What the "Share with" choice of the Add item form in My content starts at; the owner can change it
        there. Items added through the API (scripts, ArcGIS clients) stay private until they are shared.
      </p>
      <BasemapSettingsFields
        value={basemap}
        onChange={setBasemap}
        moreLayers={Math.max(0, (stored?.baseMapLayers.length ?? 0) - 1)}
      />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
