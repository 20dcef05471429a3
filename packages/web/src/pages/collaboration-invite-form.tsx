import { type FormEvent, useState } from 'react';
import { inviteParticipant } from '../api/collaboration-exchange.ts';
import type { Collaboration } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextField } from '../components/text-field.tsx';
import { saveTextFile } from '../lib/save-file.ts';
import { useAction } from '../lib/use-action.ts';
import { AccessModeField } from './collaboration-access-mode-field.tsx';

interface CollaborationInviteFormProps {
  collaboration: Collaboration;
  /** The invitation file was made and downloaded, under this name. */
  onInvited(filename: string): void;
  onCancel(): void;
}

/**
 * Invite a participant: the guest portal's URL, its access mode per workspace and how long the
 * invitation is valid; the portal answers the signed .invite file, which is downloaded.
 */
export function CollaborationInviteForm({
  collaboration,
  onInvited,
  onCancel,
}: CollaborationInviteFormProps) {
  const [url, setUrl] = useState('');
  const [hours, setHours] = useState('24');
  const [modes, setModes] = useState<Record<string, string>>(() =>
    Object.fromEntries(collaboration.workspaces.map((w) => [w.id, 'sendAndReceive'])),
  );
  const { busy, error, setError, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    const expiration = Number(hours);
    if (!Number.isInteger(expiration) || expiration < 1 || expiration > 8760) {
      setError(new Error('Valid for: give a whole number of hours from 1 to 8760 (a year).'));
      return;
    }
    void run(async () => {
      const file = await inviteParticipant(collaboration.id, {
        guestPortalUrl: url.trim(),
        accessModes: modes,
        expiration,
      });
      saveTextFile(file.filename, file.text);
      onInvited(file.filename);
    });
  }

  return (
    <form className="stack form-grid" onSubmit={submit} aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite a participant</h3>
      <p className="hint">
        The invitation is a file signed by this portal, for the guest portal's administrator to accept. It
        works once, for the portal at this address only.
      </p>
      <TextField
        label="Guest portal URL"
        className="wide"
        type="url"
        required
        autoComplete="off"
        placeholder="https://portal.partner.org"
        value={url}
        onChange={setUrl}
      />
      {collaboration.workspaces.map((w) => (
        <AccessModeField
          key={w.id}
          label={`Access to ${w.name}`}
          value={modes[w.id] ?? ''}
          onChange={(mode) => setModes({ ...modes, [w.id]: mode })}
        />
      ))}
      <TextField
        label="Valid for (hours)"
        type="number"
        min={1}
        max={8760}
        step={1}
        required
        value={hours}
        onChange={setHours}
      />
      <ErrorAlert error={error} />
      <SubmitOrCancel
        submit={busy ? 'Inviting…' : 'Invite and download the invitation file'}
        disabled={busy}
        onCancel={onCancel}
      />
    </form>
  );
}
