import { type FormEvent, useState } from 'react';
import { createFolder } from '../api/content.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';

interface CreateFolderFormProps {
  username: string;
  onCreated(id: string, title: string): void;
}

export function CreateFolderForm({ username, onCreated }: CreateFolderFormProps) {
  const [title, setTitle] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const answer = await createFolder(username, title.trim());
      setTitle('');
      onCreated(answer.folder.id, answer.folder.title);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="New folder" data-testid="create-folder-form">
      <Field label="New folder name">
        {(id) => (
          <input id={id} required maxLength={256} value={title} onChange={(e) => setTitle(e.target.value)} />
        )}
      </Field>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Create folder
        </button>
      </div>
    </form>
  );
}
