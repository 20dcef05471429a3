import { type FormEvent, useState } from 'react';
import { type NewGroup, updateGroup } from '../api/community.ts';
import type { GroupSummary } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { SubmitOrCancel } from '../components/submit-or-cancel.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { formatTags } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';
import { GroupAccessSelect } from './group-access-select.tsx';

interface GroupEditFormProps {
  group: GroupSummary;
  onSaved(message: string): void;
  onCancel(): void;
}

export function GroupEditForm({ group, onSaved, onCancel }: GroupEditFormProps) {
  const [title, setTitle] = useState(group.title);
  const [snippet, setSnippet] = useState(group.snippet ?? '');
  const [description, setDescription] = useState(group.description ?? '');
  const [tags, setTags] = useState(formatTags(group.tags));
  const [access, setAccess] = useState<NewGroup['access']>(
    group.access === 'org' || group.access === 'public' ? group.access : 'private',
  );
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) return setError(new Error('A group needs a name.'));
    await run(async () => {
      await updateGroup(group.id, { title: title.trim(), snippet, description, tags, access });
      onSaved(`Group "${title.trim()}" saved.`);
    });
  }

  return (
    <form
      className="stack panel"
      onSubmit={submit}
      aria-labelledby="edit-group-heading"
      data-testid="group-edit-form"
    >
      <h2 id="edit-group-heading">Edit group</h2>
      <TextField label="Group name" required value={title} onChange={setTitle} />
      <TextField label="Summary" maxLength={250} value={snippet} onChange={setSnippet} />
      <TextAreaField label="Description" rows={4} value={description} onChange={setDescription} />
      <TextField label="Tags" placeholder="comma, separated" value={tags} onChange={setTags} />
      <GroupAccessSelect value={access} onChange={setAccess} />
      <ErrorAlert error={error} />
      <SubmitOrCancel submit="Save" disabled={busy} onCancel={onCancel} />
    </form>
  );
}
