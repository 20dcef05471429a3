import { Loading } from '../components/loading.tsx';
import { formatRole } from '../lib/format.ts';
import { useSignedIn } from '../session/session-context.ts';
import { PasswordForm } from './password-form.tsx';
import { ProfileForm } from './profile-form.tsx';
import { SignOutEverywhere } from './sign-out-everywhere.tsx';

/** The signed-in user's own account: name, email, password, and signing out everywhere. */
export function ProfilePage() {
  const { self } = useSignedIn();
  if (!self) return <Loading />;
  const builtIn = !self.provider || self.provider === 'arcgis';
  return (
    <main>
      <h1>My profile</h1>
      <p className="muted" data-testid="profile-summary">
        Signed in as {self.username} · {formatRole(self.role)}
      </p>
      <div className="panels">
        <section aria-label="Name and email" className="panel">
          <ProfileForm key={self.username} self={self} />
        </section>
        <section aria-label="Password" className="panel">
          {builtIn ? (
            <PasswordForm username={self.username} />
          ) : (
            <>
              <h2>Password</h2>
              <p className="hint">
                You sign in through your organization's identity provider: change your password there.
              </p>
            </>
          )}
        </section>
        <section aria-label="Sessions" className="panel">
          <SignOutEverywhere />
        </section>
      </div>
    </main>
  );
}
