import { type FormEvent, useState } from 'react';
import { addUsersToGroup } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { splitList } from '../lib/format.ts';

export function AddUsersForm({ groupId, onAdded }: { groupId: string; onAdded(): void }) {
  const [users, setUsers] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const names = splitList(users);
    if (names.length === 0) return setError(new Error('Enter at least one username.'));
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      const answer = await addUsersToGroup(groupId, names);
      const notAdded = answer.notAdded ?? [];
      const added = names.filter((n) => !notAdded.includes(n));
      if (notAdded.length > 0) setError(new Error(`Not added: ${notAdded.join(', ')}.`));
      if (added.length > 0) setStatus(`Added: ${added.join(', ')}.`);
      setUsers('');
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="add-users-form">
      <Field label="Usernames to add (comma-separated)">
        {(id) => <input id={id} name="users" value={users} onChange={(e) => setUsers(e.target.value)} />}
      </Field>
      <ErrorAlert error={error} />
      <StatusMessage>{status}</StatusMessage>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Add users
        </button>
      </div>
    </form>
  );
}
