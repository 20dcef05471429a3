import { type FormEvent, useState } from 'react';
import { createGroup, type NewGroup } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';

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
      <label>
        Group name
        <input name="title" required value={title} onChange={(e) => setTitle(e.target.value)} />
      </label>
      <label>
        Tags
        <input
          name="tags"
          placeholder="comma, separated"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
        />
      </label>
      <label>
        Description
        <textarea
          name="description"
          rows={3}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </label>
      <label>
        Who can see this group
        <select
          name="access"
          value={access}
          onChange={(e) => setAccess(e.target.value as NewGroup['access'])}
        >
          <option value="private">Only members (private)</option>
          <option value="org">My organization</option>
          <option value="public">Everyone (public)</option>
        </select>
      </label>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Create group
        </button>
      </div>
    </form>
  );
}
