import { type FormEvent, useState } from 'react';
import { type CertificateSource, importTrustedCertificate } from '../api/security.ts';
import { CertificateSourceFields } from '../components/certificate-source-fields.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TextField } from '../components/text-field.tsx';
import { sourceProblem } from '../lib/certificate-source.ts';
import { useAction } from '../lib/use-action.ts';

/** Adds a root or intermediate CA certificate (or a PEM bundle of them) to the trust store. */
export function SecurityImportTrustForm({ onImported }: { onImported(message: string): void }) {
  const [alias, setAlias] = useState('');
  const [source, setSource] = useState<CertificateSource>({});
  const [formKey, setFormKey] = useState(0);
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = sourceProblem(source);
    if (problem) return setError(new Error(problem));
    await run(async () => {
      const answer = await importTrustedCertificate(alias.trim(), source);
      const aliases = answer.aliases?.length ? answer.aliases : [alias.trim()];
      onImported(`Now trusted: ${aliases.join(', ')}.`);
      setAlias('');
      setSource({});
      setFormKey((k) => k + 1);
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="import-trust-heading">
      <h2 id="import-trust-heading">Import a root or intermediate certificate</h2>
      <TextField label="Alias" required autoComplete="off" value={alias} onChange={setAlias} />
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
