import { type FormEvent, useState } from 'react';
import { type Diagnosis, diagnose } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { SecurityDiagnosisResult } from './security-diagnosis-result.tsx';
import { SecurityTrustSuggestion } from './security-trust-suggestion.tsx';

/** "Check a site": can the portal reach this HTTPS site, and does it trust its certificate? */
export function SecurityCheckSite({ onTrusted }: { onTrusted(): void }) {
  const [url, setUrl] = useState('');
  /** The URL the shown result is for (the field may have been edited since). */
  const [checkedUrl, setCheckedUrl] = useState('');
  const [result, setResult] = useState<Diagnosis | null>(null);
  const [status, setStatus] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    setResult(null);
    const target = url.trim();
    await run(async () => {
      setResult(await diagnose(target));
      setCheckedUrl(target);
    });
  }

  function trusted(alias: string, diagnosis: Diagnosis) {
    setStatus(`The certificate is now in the trust store as "${alias}".`);
    setResult(diagnosis);
    onTrusted();
  }

  return (
    <div className="stack">
      <form className="stack" onSubmit={submit} aria-labelledby="check-site-heading">
        <h2 id="check-site-heading">Check a site</h2>
        <p className="hint">
          Tests the connection from the portal to an HTTPS site (a service, an identity provider) and explains
          any certificate problem.
        </p>
        <TextField
          label="Site URL"
          type="url"
          required
          placeholder="https://gis.example.com/"
          value={url}
          onChange={setUrl}
        />
        <ErrorAlert error={error} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {busy ? 'Checking…' : 'Check'}
          </button>
        </div>
      </form>
      <StatusMessage>{status}</StatusMessage>
      {result && <SecurityDiagnosisResult diagnosis={result} />}
      {result && !result.ok && result.suggestedTrust && (
        <SecurityTrustSuggestion
          key={result.suggestedTrust.sha256Fingerprint}
          url={checkedUrl}
          suggestion={result.suggestedTrust}
          onTrusted={trusted}
        />
      )}
    </div>
  );
}
