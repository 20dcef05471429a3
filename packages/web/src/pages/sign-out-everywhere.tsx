import { useState } from 'react';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { useSignedIn } from '../session/session-context.ts';

/** Revokes every token and web session of the user (POST oauth2/signout), then signs out here. */
export function SignOutEverywhere() {
  const { signOutEverywhere } = useSignedIn();
  const [error, setError] = useState<unknown>(null);

  async function run() {
    setError(null);
    try {
      await signOutEverywhere();
    } catch (err) {
      setError(err);
    }
  }

  return (
    <div className="stack">
      <h2>Sessions</h2>
      <p className="hint">
        "Sign out" in the header ends only this browser's session. Signing out everywhere also ends your
        sessions on other devices and every API token issued to you (scripts and apps must sign in again).
      </p>
      <ErrorAlert error={error} />
      <div className="actions">
        <ConfirmButton
          label="Sign out everywhere"
          question="End every session and token of yours?"
          confirmLabel="Yes, sign out everywhere"
          onConfirm={run}
        />
      </div>
    </div>
  );
}
