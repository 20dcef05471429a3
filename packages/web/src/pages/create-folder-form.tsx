import { type FormEvent, useState } from 'react';
import { createFolder } from '../api/content.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';

interface CreateFolderFormProps {
  username: string;
  onCreated(id: string, title: string): void;
}

export function CreateFolderForm({ username, onCreated }: CreateFolderFormProps) {
  const [title, setTitle] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const answer = await createFolder(username, title.trim());
      setTitle('');
      onCreated(answer.folder.id, answer.folder.title);
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="New folder" data-testid="create-folder-form">
      <TextField label="New folder name" required maxLength={256} value={title} onChange={setTitle} />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Create folder
        </button>
      </div>
    </form>
  );
}
