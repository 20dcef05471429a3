import { type FormEvent, useState } from 'react';
import type { AppSettings, AppType, RegisteredApp } from '../api/oauth-apps.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

const APP_TYPE_LABELS: Record<AppType, string> = {
  browser: 'Browser (a web app in the browser)',
  native: 'Native (a mobile or desktop app)',
  server: 'Server (a server-side app that keeps its secret)',
  multiple: 'Multiple (several of these)',
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

interface AppRegistrationFormProps {
  /** The registration being edited; none to register the item. */
  app?: RegisteredApp;
  submitLabel: string;
  onSubmit(settings: AppSettings): Promise<void>;
  onCancel(): void;
}

/** App type, redirect URIs and referrers of a registered app (one URI per line). */
export function AppRegistrationForm({ app, submitLabel, onSubmit, onCancel }: AppRegistrationFormProps) {
  const [appType, setAppType] = useState<AppType>(app?.appType ?? 'browser');
  const [redirectUris, setRedirectUris] = useState((app?.redirect_uris ?? []).join('\n'));
  const [referrers, setReferrers] = useState((app?.httpReferrers ?? []).join('\n'));
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(() =>
      onSubmit({ appType, redirectUris: lines(redirectUris), httpReferrers: lines(referrers) }),
    );
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="app-registration-form">
      <Field label="App type">
        {(id) => (
          <select id={id} value={appType} onChange={(e) => setAppType(e.target.value as AppType)}>
            {(Object.keys(APP_TYPE_LABELS) as AppType[]).map((t) => (
              <option key={t} value={t}>
                {APP_TYPE_LABELS[t]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <TextAreaField
        label="Redirect URIs"
        rows={4}
        spellCheck={false}
        placeholder="https://app.example.com/callback"
        value={redirectUris}
        onChange={setRedirectUris}
      />
      <p className="hint">
        One per line, matched exactly: https URLs, http only on localhost, 127.0.0.1 or [::1],
        urn:ietf:wg:oauth:2.0:oob, or for native apps a private-use scheme such as com.example.app:/callback.
      </p>
      <TextAreaField
        label="Referrers"
        rows={2}
        spellCheck={false}
        placeholder="https://app.example.com"
        value={referrers}
        onChange={setReferrers}
      />
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={submitLabel} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
