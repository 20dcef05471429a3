import { type FormEvent, useState } from 'react';
import { importServerCertificate } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { PasswordField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

/** A certificate with its private key from elsewhere: PKCS#12 (.pfx/.p12) or PEM with key and chain. */
export function SecurityImportServerForm({ onImported }: { onImported(alias: string): void }) {
  const [alias, setAlias] = useState('');
  const [password, setPassword] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [formKey, setFormKey] = useState(0);
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!file) return setError(new Error('Choose the .pfx, .p12 or .pem file to import.'));
    await run(async () => {
      const answer = await importServerCertificate(alias.trim(), password, file);
      onImported(answer.alias || alias.trim());
      setAlias('');
      setPassword('');
      setFile(null);
      setFormKey((k) => k + 1);
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="import-server-heading">
      <h2 id="import-server-heading">Import a certificate with its key</h2>
      <p className="hint">
        A PKCS#12 file (.pfx, .p12), or a PEM file holding the private key and the chain.
      </p>
      <TextField label="Alias" required autoComplete="off" value={alias} onChange={setAlias} />
      <Field label="Certificate file (.pfx, .p12 or .pem)">
        {(id) => (
          <input
            key={formKey}
            id={id}
            type="file"
            accept=".pfx,.p12,.pem"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <PasswordField
        label="Password"
        autoComplete="off"
        required={false}
        value={password}
        onChange={setPassword}
      />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Import certificate
        </button>
      </div>
    </form>
  );
}
