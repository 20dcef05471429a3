import { type FormEvent, useState } from 'react';
import { createUser, type NewUser } from '../api/admin.ts';
import type { Role } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { PasswordField, TextField } from '../components/text-field.tsx';
import { ROLES } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';

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
  const { busy, error, run } = useAction();

  function set<K extends keyof NewUser>(key: K, value: NewUser[K]) {
    setUser((u) => ({ ...u, [key]: value }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const username = user.username.trim();
      await createUser({ ...user, username });
      setUser(EMPTY);
      onCreated(username);
    });
  }

  return (
    <form
      className="stack form-grid"
      onSubmit={submit}
      aria-labelledby="new-user-heading"
      data-testid="create-user-form"
    >
      <h2 id="new-user-heading">New user</h2>
      <TextField
        label="New username"
        name="username"
        required
        autoComplete="off"
        value={user.username}
        onChange={(v) => set('username', v)}
      />
      <PasswordField
        label="New user's password"
        name="password"
        autoComplete="new-password"
        value={user.password}
        onChange={(v) => set('password', v)}
      />
      <TextField
        label="First name"
        name="firstname"
        value={user.firstname}
        onChange={(v) => set('firstname', v)}
      />
      <TextField
        label="Last name"
        name="lastname"
        value={user.lastname}
        onChange={(v) => set('lastname', v)}
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        value={user.email}
        onChange={(v) => set('email', v)}
      />
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
