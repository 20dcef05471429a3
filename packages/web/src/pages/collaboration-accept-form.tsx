import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { type AcceptedInvitation, acceptInvitation } from '../api/collaboration-exchange.ts';
import { formatAccessMode } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { TextField } from '../components/text-field.tsx';
import { usePartnerStep } from '../lib/use-partner-step.ts';
import { pagePath } from '../router/paths.ts';
import { CollaborationResponseDownload } from './collaboration-response-download.tsx';
import { CollaborationUntrustedPartner } from './collaboration-untrusted-partner.tsx';
import { ORGANIZATION_PAGES } from './security-routes.ts';

interface CollaborationAcceptFormProps {
  onAccepted(): void;
  onClose(): void;
}

/**
 * Accept invitation (this portal is the guest): the invitation file and a contact → Validate
 * (the host's certificate confirmed first when this portal does not trust it) → Accept →
 * download the response file for the host.
 */
export function CollaborationAcceptForm({ onAccepted, onClose }: CollaborationAcceptFormProps) {
  const [file, setFile] = useState<File | null>(null);
  const [firstname, setFirstname] = useState('');
  const [lastname, setLastname] = useState('');
  const [email, setEmail] = useState('');
  const [checked, setChecked] = useState<AcceptedInvitation | null>(null);
  const [accepted, setAccepted] = useState<AcceptedInvitation | null>(null);
  const step = usePartnerStep();

  const contact = {
    guestContactFirstname: firstname.trim(),
    guestContactLastname: lastname.trim(),
    guestContactEmailAddress: email.trim(),
  };

  async function send(check: boolean, trustPresentedCertificate?: string) {
    if (!file) {
      step.setError(new Error('Choose the invitation file (.invite) the host portal sent you.'));
      return;
    }
    const answer = await step.attempt(() =>
      acceptInvitation(file, contact, {
        check,
        ...(trustPresentedCertificate ? { trustPresentedCertificate } : {}),
      }),
    );
    if (!answer) return;
    if (check) setChecked(answer);
    else {
      setAccepted(answer);
      onAccepted();
    }
  }

  function validate(event: FormEvent) {
    event.preventDefault();
    setChecked(null);
    void send(true);
  }

  if (accepted)
    return (
      <section className="stack" aria-labelledby="accepted-heading" data-testid="invitation-accepted">
        <h2 id="accepted-heading">Invitation accepted</h2>
        <p>
          This portal now takes part in <strong>{accepted.collaborationName}</strong>, hosted by{' '}
          <span className="wrap">{accepted.hostPortalUrl}</span>. Send the response file to the host portal's
          administrator: importing it there makes the host trust this portal. Link a group of this portal to
          each workspace on the collaboration's page (received items go into it, and its items are sent):
          linked before you download the response, the groups are named in it for the host.
        </p>
        <CollaborationResponseDownload collaborationId={accepted.collaborationId} />
        <div className="actions">
          <Link to={pagePath(ORGANIZATION_PAGES.collaboration, { id: accepted.collaborationId })}>
            Open the collaboration
          </Link>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </section>
    );

  return (
    <form className="stack form-grid" onSubmit={validate} aria-labelledby="accept-heading">
      <h2 id="accept-heading">Accept an invitation</h2>
      <p className="hint">
        The invitation file (.invite) the host portal's administrator sent you. It carries the host's address
        and the fingerprint of its certificate, signed by the host: you will not need a certificate file.
      </p>
      <Field label="Invitation file" className="wide">
        {(id) => (
          <input
            id={id}
            type="file"
            accept=".invite,application/json"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setChecked(null);
              step.reset();
            }}
          />
        )}
      </Field>
      <TextField
        label="Contact first name"
        autoComplete="given-name"
        value={firstname}
        onChange={setFirstname}
      />
      <TextField
        label="Contact last name"
        autoComplete="family-name"
        value={lastname}
        onChange={setLastname}
      />
      <TextField label="Contact e-mail" type="email" autoComplete="email" value={email} onChange={setEmail} />
      <ErrorAlert error={step.error} />
      {step.untrusted && (
        <div className="wide">
          <CollaborationUntrustedPartner
            untrusted={step.untrusted}
            partner="host"
            then="accept the invitation"
            busy={step.busy}
            onConfirm={(fp) => void send(false, fp)}
          />
        </div>
      )}
      {checked && (
        <div className="wide stack" data-testid="invitation-checked">
          <p>
            Valid invitation to <strong>{checked.collaborationName}</strong> from{' '}
            <span className="wrap">{checked.hostPortalUrl}</span>:
          </p>
          <ul className="list">
            {checked.workspaces.map((w) => (
              <li key={w.id}>
                {w.name} <span className="muted">· {formatAccessMode(w.accessMode)}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="actions">
        {checked ? (
          <button type="button" disabled={step.busy} onClick={() => void send(false)}>
            {step.busy ? 'Accepting…' : 'Accept invitation'}
          </button>
        ) : (
          !step.untrusted && (
            <button type="submit" disabled={step.busy || !file}>
              {step.busy ? 'Validating…' : 'Validate invitation'}
            </button>
          )
        )}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
