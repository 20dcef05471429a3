import { type FormEvent, useState } from 'react';
import { updatePortal } from '../api/portal.ts';
import type { DefaultItemAccess, PortalSelf } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { SHARING_LEVELS } from '../lib/format.ts';

/** The most the portal allows for a token lifetime: two weeks, in minutes. */
const MAX_MINUTES = 20160;

function minutesValue(text: string, label: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_MINUTES)
    throw new Error(`${label} must be a whole number of minutes from 1 to ${MAX_MINUTES} (two weeks).`);
  return n;
}

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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const max = minutesValue(maxMinutes, 'The maximum token lifetime');
      const def = minutesValue(defaultMinutes, 'The default token lifetime');
      if (def > max) throw new Error('The default token lifetime cannot be longer than the maximum.');
      if (!name.trim()) throw new Error('Give the organization a name.');
      setBusy(true);
      await updatePortal({
        name: name.trim(),
        description,
        maxTokenExpirationMinutes: max,
        defaultTokenExpirationMinutes: def,
        defaultItemAccess: access,
      });
      onSaved('Settings saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Organization settings" data-testid="settings-form">
      <Field label="Name">
        {(id) => (
          <input id={id} required maxLength={250} value={name} onChange={(e) => setName(e.target.value)} />
        )}
      </Field>
      <Field label="Description">
        {(id) => (
          <textarea id={id} rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <fieldset>
        <legend>Tokens</legend>
        <div className="stack">
          <Field label="Maximum token lifetime (minutes)">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={MAX_MINUTES}
                required
                value={maxMinutes}
                onChange={(e) => setMaxMinutes(e.target.value)}
              />
            )}
          </Field>
          <p className="hint">
            A client asking for a longer token gets one of this lifetime. At most {MAX_MINUTES} minutes (two
            weeks).
          </p>
          <Field label="Default token lifetime (minutes)">
            {(id) => (
              <input
                id={id}
                type="number"
                min={1}
                max={MAX_MINUTES}
                required
                value={defaultMinutes}
                onChange={(e) => setDefaultMinutes(e.target.value)}
              />
            )}
          </Field>
          <p className="hint">For tokens requested without a lifetime, and for web UI sessions.</p>
        </div>
      </fieldset>
      <Field label="Default sharing of new items">
        {(id) => (
          <select id={id} value={access} onChange={(e) => setAccess(e.target.value as DefaultItemAccess)}>
            {SHARING_LEVELS.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p className="hint">
        What the "Share with" choice of the Add item form in My content starts at; the owner can change it
        there. Items added through the API (scripts, ArcGIS clients) stay private until they are shared.
      </p>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
