import { type FormEvent, useState } from 'react';
import { createGroup, type NewGroup } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { GroupAccessSelect } from './group-access-select.tsx';

export function CreateGroupForm({ onCreated }: { onCreated(id: string, title: string): void }) {
  const [title, setTitle] = useState('');
  const [tags, setTags] = useState('');
  const [description, setDescription] = useState('');
  const [access, setAccess] = useState<NewGroup['access']>('private');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await createGroup({ title: title.trim(), tags, description, access });
      onCreated(answer.group.id, answer.group.title ?? title.trim());
      setTitle('');
      setTags('');
      setDescription('');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack"
      onSubmit={submit}
      aria-labelledby="new-group-heading"
      data-testid="create-group-form"
    >
      <h2 id="new-group-heading">New group</h2>
      <Field label="Group name">
        {(id) => (
          <input id={id} name="title" required value={title} onChange={(e) => setTitle(e.target.value)} />
        )}
      </Field>
      <Field label="Tags">
        {(id) => (
          <input
            id={id}
            name="tags"
            placeholder="comma, separated"
            value={tags}
            onChange={(e) => setTags(e.target.value)}
          />
        )}
      </Field>
      <Field label="Description">
        {(id) => (
          <textarea
            id={id}
            name="description"
            rows={3}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        )}
      </Field>
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
