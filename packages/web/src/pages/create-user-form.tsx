import { type FormEvent, useState } from 'react';
import { createUser, type NewUser } from '../api/admin.ts';
import type { Role } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { ROLES } from '../lib/format.ts';

const EMPTY: NewUser = {
  username: '',
  password: '',
  firstname: '',
  lastname: '',
  email: '',
  role: 'org_user',
};

export function CreateUserForm({ onCreated }: { onCreated(username: string): void }) {
  const [user, setUser] = useState<NewUser>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  function set<K extends keyof NewUser>(key: K, value: NewUser[K]) {
    setUser((u) => ({ ...u, [key]: value }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const username = user.username.trim();
      await createUser({ ...user, username });
      setUser(EMPTY);
      onCreated(username);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack form-grid"
      onSubmit={submit}
      aria-labelledby="new-user-heading"
      data-testid="create-user-form"
    >
      <h2 id="new-user-heading">New user</h2>
      <Field label="New username">
        {(id) => (
          <input
            id={id}
            name="username"
            required
            autoComplete="off"
            value={user.username}
            onChange={(e) => set('username', e.target.value)}
          />
        )}
      </Field>
      <Field label="New user's password">
        {(id) => (
          <input
            id={id}
            name="password"
            type="password"
            required
            autoComplete="new-password"
            value={user.password}
            onChange={(e) => set('password', e.target.value)}
          />
        )}
      </Field>
      <Field label="First name">
        {(id) => (
          <input
            id={id}
            name="firstname"
            value={user.firstname}
            onChange={(e) => set('firstname', e.target.value)}
          />
        )}
      </Field>
      <Field label="Last name">
        {(id) => (
          <input
            id={id}
            name="lastname"
            value={user.lastname}
            onChange={(e) => set('lastname', e.target.value)}
          />
        )}
      </Field>
      <Field label="Email">
        {(id) => (
          <input
            id={id}
            name="email"
            type="email"
            value={user.email}
            onChange={(e) => set('email', e.target.value)}
          />
        )}
      </Field>
      <Field label="New user's role">
        {(id) => (
          <select id={id} name="role" value={user.role} onChange={(e) => set('role', e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <ErrorAlert error={error} />
      <div className="actions">
        <button type="submit" disabled={busy}>
          Create user
        </button>
      </div>
    </form>
  );
}
