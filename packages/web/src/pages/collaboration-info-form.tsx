import { type FormEvent, useState } from 'react';
import { type Collaboration, updateCollaboration } from '../api/collaborations.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

interface CollaborationInfoFormProps {
  collaboration: Collaboration;
  onSaved(name: string): void;
  onCancel(): void;
}

/** The host changes a collaboration's name and description. */
export function CollaborationInfoForm({ collaboration, onSaved, onCancel }: CollaborationInfoFormProps) {
  const [name, setName] = useState(collaboration.name);
  const [description, setDescription] = useState(collaboration.description);
  const { busy, error, run } = useAction();

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await updateCollaboration(collaboration.id, { name: name.trim(), description: description.trim() });
      onSaved(name.trim());
    });
  }

  return (
    <form className="stack form-grid" onSubmit={submit} aria-label="Edit collaboration">
      <TextField label="Name" className="wide" required maxLength={100} value={name} onChange={setName} />
      <TextAreaField
        label="Description"
        className="wide"
        rows={2}
        maxLength={250}
        value={description}
        onChange={setDescription}
      />
      <ErrorAlert error={error} />
      <SubmitOrCancel submit={busy ? 'Saving…' : 'Save'} disabled={busy} onCancel={onCancel} />
    </form>
  );
}
