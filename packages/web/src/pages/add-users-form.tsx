import { type FormEvent, useState } from 'react';
import { addUsersToGroup } from '../api/community.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { TextField } from '../components/text-field.tsx';
import { splitList } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';

export function AddUsersForm({ groupId, onAdded }: { groupId: string; onAdded(): void }) {
  const [users, setUsers] = useState('');
  const [status, setStatus] = useState('');
  const { busy, error, setError, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const names = splitList(users);
    if (names.length === 0) return setError(new Error('Enter at least one username.'));
    setStatus('');
    await run(async () => {
      const answer = await addUsersToGroup(groupId, names);
      const notAdded = answer.notAdded ?? [];
      const added = names.filter((n) => !notAdded.includes(n));
      if (notAdded.length > 0) setError(new Error(`Not added: ${notAdded.join(', ')}.`));
      if (added.length > 0) setStatus(`Added: ${added.join(', ')}.`);
      setUsers('');
      onAdded();
    });
  }

  return (
    <form className="stack" onSubmit={submit} data-testid="add-users-form">
      <TextField label="Usernames to add (comma-separated)" name="users" value={users} onChange={setUsers} />
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
