import { type FormEvent, useState } from 'react';
import { createGroup, type NewGroup } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { GroupAccessSelect } from './group-access-select.tsx';

export function CreateGroupForm({ onCreated }: { onCreated(id: string, title: string): void }) {
  const [title, setTitle] = useState('');
  const [tags, setTags] = useState('');
  const [description, setDescription] = useState('');
  const [access, setAccess] = useState<NewGroup['access']>('private');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const answer = await createGroup({ title: title.trim(), tags, description, access });
      onCreated(answer.group.id, answer.group.title ?? title.trim());
      setTitle('');
      setTags('');
      setDescription('');
    });
  }

  return (
    <form
      className="stack"
      onSubmit={submit}
      aria-labelledby="new-group-heading"
      data-testid="create-group-form"
    >
      <h2 id="new-group-heading">New group</h2>
      <TextField label="Group name" name="title" required value={title} onChange={setTitle} />
      <TextField label="Tags" name="tags" placeholder="comma, separated" value={tags} onChange={setTags} />
      <TextAreaField
        label="Description"
        name="description"
        rows={3}
        value={description}
        onChange={setDescription}
      />
      <GroupAccessSelect value={access} onChange={setAccess} />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Create group
        </button>
      </div>
    </form>
  );
}
