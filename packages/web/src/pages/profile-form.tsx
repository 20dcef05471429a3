import { type FormEvent, useState } from 'react';
import { updateProfile } from '../api/community.ts';
import type { SelfUser } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { Field } from '../components/field.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { useSignedIn } from '../session/session-context.ts';

/** First and last name (the full name follows them), email and a short description. */
export function ProfileForm({ self }: { self: SelfUser }) {
  const { refreshSelf } = useSignedIn();
  const [firstName, setFirstName] = useState(self.firstName ?? '');
  const [lastName, setLastName] = useState(self.lastName ?? '');
  const [email, setEmail] = useState(self.email ?? '');
  const [description, setDescription] = useState(self.description ?? '');
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setStatus('');
    setBusy(true);
    try {
      const first = firstName.trim();
      const last = lastName.trim();
      await updateProfile(self.username, {
        firstname: first,
        lastname: last,
        fullname: [first, last].filter(Boolean).join(' '),
        email: email.trim(),
        description,
      });
      await refreshSelf();
      setStatus('Profile saved.');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="profile-heading" data-testid="profile-form">
      <h2 id="profile-heading">Name and email</h2>
      <Field label="First name">
        {(id) => (
          <input
            id={id}
            autoComplete="given-name"
            value={firstName}
            onChange={(e) => setFirstName(e.target.value)}
          />
        )}
      </Field>
      <Field label="Last name">
        {(id) => (
          <input
            id={id}
            autoComplete="family-name"
            value={lastName}
            onChange={(e) => setLastName(e.target.value)}
          />
        )}
      </Field>
      <Field label="Email">
        {(id) => (
          <input
            id={id}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        )}
      </Field>
      <Field label="About me">
        {(id) => (
          <textarea id={id} rows={3} value={description} onChange={(e) => setDescription(e.target.value)} />
        )}
      </Field>
      <ErrorAlert error={error} />
      <StatusMessage>{status}</StatusMessage>
      <div className="actions">
        <button type="submit" disabled={busy}>
          Save profile
        </button>
      </div>
    </form>
  );
}
