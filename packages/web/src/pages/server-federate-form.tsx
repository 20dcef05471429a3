import { type FormEvent, useState } from 'react';
import {
  type FederatedServer,
  federateServer,
  type UntrustedCertificate,
  untrustedCertificateOf,
} from '../api/servers.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { PasswordField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { ServerUntrustedCertificate } from './server-untrusted-certificate.tsx';

interface ServerFederateFormProps {
  onFederated(server: FederatedServer): void;
  onCancel(): void;
}

/** The admin URL a server's URL implies: <url>/admin. */
function defaultAdminUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  return trimmed ? `${trimmed}/admin` : '';
}

/**
 * Add server: the server's URL, its admin URL (URL + /admin unless changed) and an
 * administrator's credentials; an untrusted certificate is shown for confirmation, and
 * confirming federates again trusting exactly that certificate.
 */
export function ServerFederateForm({ onFederated, onCancel }: ServerFederateFormProps) {
  const [url, setUrl] = useState('');
  const [adminUrl, setAdminUrl] = useState('');
  const [adminUrlEdited, setAdminUrlEdited] = useState(false);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [untrusted, setUntrusted] = useState<UntrustedCertificate | null>(null);
  const { busy, error, setError, run } = useAction();

  const effectiveAdminUrl = adminUrlEdited ? adminUrl : defaultAdminUrl(url);

  async function federate(trustPresentedCertificate?: string) {
    let refusal: unknown = null;
    await run(async () => {
      try {
        const server = await federateServer({
          url: url.trim(),
          adminUrl: effectiveAdminUrl.trim(),
          username: username.trim(),
          password,
          trustPresentedCertificate,
        });
        setUntrusted(null);
        setPassword('');
        onFederated(server);
      } catch (err) {
        refusal = err;
        throw err;
      }
    });
    const diagnosis = untrustedCertificateOf(refusal);
    if (diagnosis) {
      setError(null);
      setUntrusted(diagnosis);
    } else if (refusal) setUntrusted(null);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void federate();
  }

  return (
    <form className="stack form-grid" onSubmit={submit} aria-labelledby="federate-heading">
      <h2 id="federate-heading">Add server</h2>
      <p className="hint">
        The server's URL as clients use it (for example https://gis.example.org:6443/arcgis) and the
        credentials of one of its administrators. The password is only used to connect.
      </p>
      <TextField
        label="Server URL"
        className="wide"
        type="url"
        required
        autoComplete="off"
        placeholder="https://gis.example.org:6443/arcgis"
        value={url}
        onChange={(v) => {
          setUrl(v);
          setUntrusted(null);
        }}
      />
      <TextField
        label="Administration URL"
        className="wide"
        type="url"
        required
        autoComplete="off"
        value={effectiveAdminUrl}
        onChange={(v) => {
          setAdminUrlEdited(true);
          setAdminUrl(v);
        }}
      />
      <TextField
        label="Administrator username"
        required
        autoComplete="off"
        value={username}
        onChange={setUsername}
      />
      <PasswordField label="Password" autoComplete="off" value={password} onChange={setPassword} />
      <ErrorAlert error={error} />
      {untrusted ? (
        <div className="wide">
          <ServerUntrustedCertificate
            untrusted={untrusted}
            busy={busy}
            onConfirm={(fp) => void federate(fp)}
          />
          <div className="actions">
            <button type="button" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <SubmitOrCancel submit={busy ? 'Federating…' : 'Federate'} disabled={busy} onCancel={onCancel} />
      )}
    </form>
  );
}
