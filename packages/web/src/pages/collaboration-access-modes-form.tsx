import { type FormEvent, useState } from 'react';
import { updateParticipantAccessModes } from '../api/collaboration-sync.ts';
import type { Collaboration, Participant } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { useAction } from '../lib/use-action.ts';
import { AccessModeField } from './collaboration-access-mode-field.tsx';

interface CollaborationAccessModesFormProps {
  collaboration: Collaboration;
  participant: Participant;
  onSaved(message: string): void;
  onCancel(): void;
}

/** The host sets a guest's access mode per workspace (send, receive, or both); the guest is told. */
export function CollaborationAccessModesForm({
  collaboration,
  participant,
  onSaved,
  onCancel,
}: CollaborationAccessModesFormProps) {
  const [modes, setModes] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      collaboration.workspaces.map((w) => [w.id, participant.accessModes[w.id] ?? 'sendAndReceive']),
    ),
  );
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const r = await updateParticipantAccessModes(collaboration.id, participant.participantId, modes);
      onSaved(
        `Saved the access modes of ${participant.portalUrl}. ${r.partnerTold ? 'It was told.' : 'It could not be told now; it learns them at its next sync.'}`,
      );
    });
  }

  return (
    <form
      className="stack form-grid"
      onSubmit={submit}
      aria-label={`Access modes of ${participant.portalUrl}`}
    >
      {collaboration.workspaces.map((w) => (
        <AccessModeField
          key={w.id}
          label={`Access to ${w.name}`}
          value={modes[w.id] ?? ''}
          onChange={(mode) => setModes({ ...modes, [w.id]: mode })}
        />
      ))}
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={busy ? 'Saving…' : 'Save access modes'} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
