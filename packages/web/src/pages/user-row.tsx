import { type FormEvent, useId, useState } from 'react';
import { updateUserRole } from '../api/admin.ts';
import type { PortalUser, Role } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { formatRole, ROLES } from '../lib/format.ts';

interface UserRowProps {
  user: PortalUser;
  self: boolean;
  onChanged(): void;
}

export function UserRow({ user, self, onChanged }: UserRowProps) {
  const current = (user.role ?? 'org_user') as Role;
  const [role, setRole] = useState<Role>(current);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const selectId = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      await updateUserRole(user.username, role);
      setDone(`Role changed to ${formatRole(role)}.`);
      onChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const name = user.fullName || [user.firstName, user.lastName].filter(Boolean).join(' ');
  return (
    <tr data-testid={`user-row-${user.username}`}>
      <td>
        {user.username}
        {self && <span className="muted"> (you)</span>}
      </td>
      <td>{name || '—'}</td>
      <td>{user.email || '—'}</td>
      <td>{user.disabled ? 'Disabled' : 'Active'}</td>
      <td>
        <form className="inline" onSubmit={submit}>
          <label htmlFor={selectId} className="visually-hidden">
            Role for {user.username}
          </label>
          <select id={selectId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <button type="submit" disabled={busy || role === current}>
            Change role
          </button>
        </form>
        {done && <output className="status">{done}</output>}
        <ErrorAlert error={error} />
      </td>
    </tr>
  );
}
