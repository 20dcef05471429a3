import { type FormEvent, useState } from 'react';
import { type CertificateSource, importTrustedCertificate } from '../api/security.ts';
import { CertificateSourceFields } from '../components/certificate-source-fields.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { sourceProblem } from '../lib/certificate-source.ts';

/** Adds a root or intermediate CA certificate (or a PEM bundle of them) to the trust store. */
export function SecurityImportTrustForm({ onImported }: { onImported(message: string): void }) {
  const [alias, setAlias] = useState('');
  const [source, setSource] = useState<CertificateSource>({});
  const [formKey, setFormKey] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const problem = sourceProblem(source);
    if (problem) return setError(new Error(problem));
    setBusy(true);
    try {
      const answer = await importTrustedCertificate(alias.trim(), source);
      const aliases = answer.aliases?.length ? answer.aliases : [alias.trim()];
      onImported(`Now trusted: ${aliases.join(', ')}.`);
      setAlias('');
      setSource({});
      setFormKey((k) => k + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="import-trust-heading">
      <h2 id="import-trust-heading">Import a root or intermediate certificate</h2>
      <Field label="Alias">
        {(id) => (
          <input
            id={id}
            required
            autoComplete="off"
            value={alias}
            onChange={(e) => setAlias(e.target.value)}
          />
        )}
      </Field>
      <CertificateSourceFields key={formKey} onChange={setSource} />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Import to trust store
        </button>
      </div>
    </form>
  );
}
