import { type FormEvent, useState } from 'react';
import type { ApiError } from '../api/errors.ts';
import { type SslSettings, updateSslSettings } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { TextAreaField } from '../components/text-field.tsx';
import {
  sendUnlessRefused,
  UnsuitableCertificateDialog,
} from '../components/unsuitable-certificate-dialog.tsx';
import { lines } from '../lib/certificate-format.ts';
import { useAction } from '../lib/use-action.ts';

const PROTOCOLS = ['TLSv1.2', 'TLSv1.3'] as const;

function toggle(list: string[], value: string, on: boolean): string[] {
  return on ? (list.includes(value) ? list : [...list, value]) : list.filter((v) => v !== value);
}

interface HttpsFormProps {
  settings: SslSettings;
  /** The form is mounted again with the saved settings afterwards. */
  onSaved(message: string): void;
}

export function SecurityHttpsForm({ settings, onSaved }: HttpsFormProps) {
  const withKeys = settings.certificates.filter((c) => c.hasPrivateKey).map((c) => c.alias);
  const aliases = withKeys.length ? withKeys : settings.sslCertificates;
  const suites = [...new Set([...(settings.availableCipherSuites ?? []), ...settings.cipherSuites])];

  const [alias, setAlias] = useState(settings.webServerCertificateAlias);
  const [protocols, setProtocols] = useState<string[]>(settings.sslProtocols);
  const [ciphers, setCiphers] = useState<string[]>(settings.cipherSuites);
  const [hsts, setHsts] = useState(settings.HSTSEnabled);
  const [paths, setPaths] = useState(settings.httpsRequiredPaths.join('\n'));
  const { busy, error, setError, run } = useAction();
  const [refused, setRefused] = useState<ApiError | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (protocols.length === 0) return setError(new Error('Keep at least one protocol: TLSv1.2 or TLSv1.3.'));
    if (suites.length > 0 && ciphers.length === 0)
      return setError(new Error('Keep at least one cipher suite.'));
    return save(false);
  }

  async function save(force: boolean) {
    await run(async () => {
      const send = () =>
        updateSslSettings({
          force,
          webServerCertificateAlias: alias,
          // In the order of the lists shown, so that the server's preference order is kept.
          sslProtocols: PROTOCOLS.filter((p) => protocols.includes(p)),
          cipherSuites: suites.filter((s) => ciphers.includes(s)),
          HSTSEnabled: hsts,
          httpsRequiredPaths: lines(paths),
        });
      if (await sendUnlessRefused(send, force, setRefused))
        onSaved('HTTPS settings saved. New connections use them.');
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="HTTPS settings" data-testid="https-form">
      <Field label="Web server certificate">
        {(id) => (
          <select id={id} value={alias} onChange={(e) => setAlias(e.target.value)}>
            {!aliases.includes(alias) && <option value={alias}>{alias || '—'}</option>}
            {aliases.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Protocols</legend>
        {PROTOCOLS.map((p) => (
          <label className="check" key={p}>
            <input
              type="checkbox"
              checked={protocols.includes(p)}
              onChange={(e) => setProtocols((l) => toggle(l, p, e.target.checked))}
            />
            {p}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Cipher suites</legend>
        {suites.length === 0 && <p className="muted">The server did not list any cipher suites.</p>}
        <div className="check-grid">
          {suites.map((s) => (
            <label className="check" key={s}>
              <input
                type="checkbox"
                checked={ciphers.includes(s)}
                onChange={(e) => setCiphers((l) => toggle(l, s, e.target.checked))}
              />
              <code>{s}</code>
            </label>
          ))}
        </div>
        <p className="hint">Unchecked suites are no longer offered to clients.</p>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={hsts} onChange={(e) => setHsts(e.target.checked)} />
        HSTS (Strict-Transport-Security: browsers use HTTPS only)
      </label>
      <TextAreaField
        label="HTTPS-required paths (one per line)"
        rows={4}
        spellCheck={false}
        placeholder="/sharing/rest/generateToken"
        value={paths}
        onChange={setPaths}
      />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
      </div>
      {refused && (
        <UnsuitableCertificateDialog
          error={refused}
          onConfirm={() => save(true)}
          onCancel={() => setRefused(null)}
        />
      )}
    </form>
  );
}
