import { type FormEvent, useState } from 'react';
import { importInvitationResponse } from '../api/collaboration-exchange.ts';
import type { Collaboration } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { usePartnerStep } from '../lib/use-partner-step.ts';
import { CollaborationUntrustedPartner } from './collaboration-untrusted-partner.tsx';

interface CollaborationImportResponseProps {
  collaboration: Collaboration;
  onImported(participantId: string): void;
  onCancel(): void;
}

/**
 * Import a guest's response (this portal hosts): the response file → Validate (the guest's
 * certificate confirmed first when this portal does not trust it) → Import: the guest becomes
 * a participant.
 */
export function CollaborationImportResponse({
  collaboration,
  onImported,
  onCancel,
}: CollaborationImportResponseProps) {
  const [file, setFile] = useState<File | null>(null);
  const [valid, setValid] = useState(false);
  const step = usePartnerStep();

  async function send(check: boolean, trustPresentedCertificate?: string) {
    if (!file) return;
    const participantId = await step.attempt(() =>
      importInvitationResponse(collaboration.id, file, {
        check,
        ...(trustPresentedCertificate ? { trustPresentedCertificate } : {}),
      }),
    );
    if (participantId === null) return;
    if (check) setValid(true);
    else onImported(participantId);
  }

  function validate(event: FormEvent) {
    event.preventDefault();
    setValid(false);
    void send(true);
  }

  return (
    <form className="stack form-grid" onSubmit={validate} aria-labelledby="import-heading">
      <h3 id="import-heading">Import a response</h3>
      <p className="hint">
        The response file (.invite-response) the guest portal's administrator sent back after accepting your
        invitation. It carries the guest's address and its certificate's fingerprint, signed by the guest.
      </p>
      <Field label="Response file" className="wide">
        {(id) => (
          <input
            id={id}
            type="file"
            accept=".invite-response,application/json"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setValid(false);
              step.reset();
            }}
          />
        )}
      </Field>
      <ErrorAlert error={step.error} />
      {step.untrusted && (
        <div className="wide">
          <CollaborationUntrustedPartner
            untrusted={step.untrusted}
            partner="guest"
            then="import the response"
            busy={step.busy}
            onConfirm={(fp) => void send(false, fp)}
          />
        </div>
      )}
      {valid && (
        <p className="wide" data-testid="response-checked">
          The response is valid: importing it adds the guest portal as a participant.
        </p>
      )}
      <div className="actions">
        {valid ? (
          <button type="button" disabled={step.busy} onClick={() => void send(false)}>
            {step.busy ? 'Importing…' : 'Import response'}
          </button>
        ) : (
          !step.untrusted && (
            <button type="submit" disabled={step.busy || !file}>
              {step.busy ? 'Validating…' : 'Validate response'}
            </button>
          )
        )}
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
