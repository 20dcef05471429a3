import { type FormEvent, useState } from 'react';
import { updateParticipantAccessModes } from '../api/collaboration-sync.ts';
import { ACCESS_MODE_OPTIONS, type Collaboration, type Participant } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { useAction } from '../lib/use-action.ts';

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
        <Field key={w.id} label={`Access to ${w.name}`}>
          {(id) => (
            <select
              id={id}
              value={modes[w.id]}
              onChange={(e) => setModes({ ...modes, [w.id]: e.target.value })}
            >
              {ACCESS_MODE_OPTIONS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      ))}
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={busy ? 'Saving…' : 'Save access modes'} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
