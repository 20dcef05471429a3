import { type FormEvent, useState } from 'react';
import { type NewGroup, updateGroup } from '../api/community.ts';
import type { GroupSummary } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { formatTags } from '../lib/format.ts';
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
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    if (!title.trim()) return setError(new Error('A group needs a name.'));
    setBusy(true);
    try {
      await updateGroup(group.id, { title: title.trim(), snippet, description, tags, access });
      onSaved(`Group "${title.trim()}" saved.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack panel"
      onSubmit={submit}
      aria-labelledby="edit-group-heading"
      data-testid="group-edit-form"
    >
      <h2 id="edit-group-heading">Edit group</h2>
      <Field label="Group name">
        {(id) => <input id={id} required value={title} onChange={(e) => setTitle(e.target.value)} />}
      </Field>
      <Field label="Summary">
        {(id) => (
          <input id={id} maxLength={250} value={snippet} onChange={(e) => setSnippet(e.target.value)} />
        )}
      </Field>
      <Field label="Description">
        {(id) => (
          <textarea id={id} rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <Field label="Tags">
        {(id) => (
          <input
            id={id}
            placeholder="comma, separated"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        )}
      </Field>
      <GroupAccessSelect value={access} onChange={setAccess} />
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
