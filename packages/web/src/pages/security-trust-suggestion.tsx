import { type FormEvent, useId, useState } from 'react';
import { type Diagnosis, type SuggestedTrust, trustDiagnosed } from '../api/security.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

interface TrustSuggestionProps {
  url: string;
  suggestion: SuggestedTrust;
  onTrusted(alias: string, diagnosis: Diagnosis): void;
}

/**
 * "Trust this certificate": the administrator compares the fingerprint with the site's
 * administrator and confirms; the server imports it only if the fingerprint still matches.
 */
export function SecurityTrustSuggestion({ url, suggestion, onTrusted }: TrustSuggestionProps) {
  const [checked, setChecked] = useState(false);
  const [alias, setAlias] = useState('');
  const { busy, error, run } = useAction();
  const headingId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!checked) return;
    await run(async () => {
      const answer = await trustDiagnosed(url, suggestion.sha256Fingerprint, alias.trim());
      onTrusted(answer.alias, answer.diagnosis);
    });
  }

  return (
    <form className="stack trust-step" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId}>Trust this certificate</h3>
      <p>
        Only trust it if you are sure it belongs to the site. Ask the site's administrator for the
        certificate's SHA-256 fingerprint and compare it with this one, character by character.
      </p>
      <dl className="details">
        <div>
          <dt>Subject</dt>
          <dd data-testid="suggested-subject">{suggestion.subject}</dd>
        </div>
        <div>
          <dt>SHA-256 fingerprint</dt>
          <dd>
            <code className="fingerprint" data-testid="suggested-fingerprint">
              {suggestion.sha256Fingerprint}
            </code>
          </dd>
        </div>
      </dl>
      <TextField label="Alias (optional)" autoComplete="off" value={alias} onChange={setAlias} />
      <label className="check">
        <input type="checkbox" checked={checked} onChange={(e) => setChecked(e.target.checked)} />I have
        checked this fingerprint with the site's administrator
      </label>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={!checked || busy}>
          Trust this certificate
        </button>
      </div>
    </form>
  );
}
