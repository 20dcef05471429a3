import { type FormEvent, useState } from 'react';
import { updateProfile } from '../api/community.ts';
import type { SelfUser } from '../api/types.ts';
import { ErrorAlert } from '../components/error-alert.tsx';
import { StatusMessage } from '../components/status-message.tsx';
import { TextAreaField, TextField } from '../components/text-field.tsx';
import { useAction } from '../lib/use-action.ts';
import { useSignedIn } from '../session/session-context.ts';

/** First and last name (the full name follows them), email and a short description. */
export function ProfileForm({ self }: { self: SelfUser }) {
  const { refreshSelf } = useSignedIn();
  const [firstName, setFirstName] = useState(self.firstName ?? '');
  const [lastName, setLastName] = useState(self.lastName ?? '');
  const [email, setEmail] = useState(self.email ?? '');
  const [description, setDescription] = useState(self.description ?? '');
  const [status, setStatus] = useState('');
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus('');
    await run(async () => {
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
    });
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="profile-heading" data-testid="profile-form">
      <h2 id="profile-heading">Name and email</h2>
      <TextField label="First name" autoComplete="given-name" value={firstName} onChange={setFirstName} />
      <TextField label="Last name" autoComplete="family-name" value={lastName} onChange={setLastName} />
      <TextField label="Email" type="email" autoComplete="email" required value={email} onChange={setEmail} />
      <TextAreaField label="About me" rows={3} value={description} onChange={setDescription} />
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
