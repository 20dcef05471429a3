import { useState } from 'react';
import {
  type AppSettings,
  getRegisteredApp,
  type RegisteredAppWithSecret,
  registerApp,
  resetAppSecret,
  unregisterApp,
  updateApp,
} from '../api/oauth-apps.ts';
import type { Item } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { CopyButton } from '../components/copy-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Loading } from '../components/loading.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { formatDate } from '../lib/format.ts';
import { useAsync } from '../lib/use-async.ts';
import { AppRegistrationForm } from './app-registration-form.tsx';

/** The client secret just created: shown here once, never again. */
function SecretOnce({ answer, onDone }: { answer: RegisteredAppWithSecret; onDone(): void }) {
  return (
    <div className="secret-once" role="alert" data-testid="client-secret">
      <p>
        <strong>Client secret</strong> — copy it now: <strong>you will not see it again.</strong> The portal
        keeps only a hash of it; if it is lost, reset it.
      </p>
      <p>
        <code className="result" data-testid="client-secret-value">
          {answer.client_secret}
        </code>
      </p>
      <div className="actions">
        <CopyButton text={answer.client_secret} label="Copy secret" />
        <button type="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

function UriList({ uris, testId }: { uris: readonly string[]; testId: string }) {
  if (!uris.length) return <span data-testid={testId}>—</span>;
  return (
    <ul className="uri-list" data-testid={testId}>
      {uris.map((u) => (
        <li key={u}>
          <code>{u}</code>
        </li>
      ))}
    </ul>
  );
}

/**
 * An application item's OAuth 2.0 registration (for its owner and administrators): register it,
 * see its client_id, app type, redirect URIs and referrers, edit them, reset the secret,
 * unregister it.
 */
export function AppRegistrationPanel({ item, onChanged }: { item: Item; onChanged(): void }) {
  const registration = useAsync(() => getRegisteredApp(item.owner, item.id), [item.owner, item.id]);
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<RegisteredAppWithSecret | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<unknown>(null);
  const app = registration.data;

  async function act(fn: () => Promise<void>) {
    setError(null);
    setStatus('');
    try {
      await fn();
    } catch (err) {
      setError(err);
    }
  }

  async function register(settings: AppSettings) {
    const answer = await registerApp(item.id, settings);
    setSecret(answer);
    setEditing(false);
    registration.reload();
    onChanged();
  }

  async function save(settings: AppSettings) {
    await updateApp(app!.client_id, settings);
    setEditing(false);
    setStatus('Registration saved.');
    registration.reload();
  }

  return (
    <section
      aria-labelledby="app-registration-heading"
      className="panel data-panel"
      data-testid="app-registration"
    >
      <h2 id="app-registration-heading">App registration</h2>
      <ErrorAlert error={registration.error} />
      {registration.loading && !app && <Loading />}
      <StatusMessage>{status}</StatusMessage>
      <ErrorAlert error={error} />
      {secret && <SecretOnce answer={secret} onDone={() => setSecret(null)} />}
      {!registration.loading && !registration.error && app === null && !editing && (
        <>
          <p>This application is not registered: register it to let it sign users in with OAuth 2.0.</p>
          <div className="actions">
            <button type="button" onClick={() => setEditing(true)}>
              Register
            </button>
          </div>
        </>
      )}
      {app === null && editing && (
        <AppRegistrationForm submitLabel="Register" onSubmit={register} onCancel={() => setEditing(false)} />
      )}
      {app && editing && (
        <AppRegistrationForm
          app={app}
          submitLabel="Save"
          onSubmit={save}
          onCancel={() => setEditing(false)}
        />
      )}
      {app && !editing && (
        <>
          <dl className="details" data-testid="app-details">
            <div>
              <dt>Client ID</dt>
              <dd>
                <code data-testid="app-client-id">{app.client_id}</code> <CopyButton text={app.client_id} />
              </dd>
            </div>
            <div>
              <dt>App type</dt>
              <dd data-testid="app-type">{app.appType}</dd>
            </div>
            <div>
              <dt>Redirect URIs</dt>
              <dd>
                <UriList uris={app.redirect_uris} testId="app-redirect-uris" />
              </dd>
            </div>
            <div>
              <dt>Referrers</dt>
              <dd>
                <UriList uris={app.httpReferrers} testId="app-referrers" />
              </dd>
            </div>
            <div>
              <dt>Registered</dt>
              <dd>{formatDate(app.registered)}</dd>
            </div>
          </dl>
          <div className="actions">
            <button type="button" onClick={() => setEditing(true)}>
              Edit registration
            </button>
            <ConfirmButton
              label="Reset secret"
              question="The current secret stops working at once. Reset it?"
              confirmLabel="Yes, reset"
              onConfirm={() =>
                act(async () => {
                  setSecret(await resetAppSecret(app.client_id));
                  registration.reload();
                })
              }
            />
            <ConfirmButton
              label="Unregister"
              question="Its client ID and secret stop working. Unregister?"
              confirmLabel="Yes, unregister"
              onConfirm={() =>
                act(async () => {
                  await unregisterApp(app.client_id);
                  setSecret(null);
                  setStatus('The app was unregistered.');
                  registration.reload();
                  onChanged();
                })
              }
            />
          </div>
        </>
      )}
    </section>
  );
}
