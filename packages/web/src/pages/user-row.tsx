import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import { deleteUser, disableUser, enableUser, unlockUser, updateUserRole } from '../api/admin.ts';
import type { PortalUser, Role } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { formatRole, ROLES } from '../lib/format.ts';
import { useAction } from '../lib/use-action.ts';
import { pagePath } from '../router/paths.ts';
import { ResetPasswordDialog } from './reset-password-dialog.tsx';
import { UserStatus } from './user-status.tsx';

interface UserRowProps {
  user: PortalUser;
  self: boolean;
  onChanged(message: string): void;
}

export function UserRow({ user, self, onChanged }: UserRowProps) {
  const current = (user.role ?? 'org_user') as Role;
  const [role, setRole] = useState<Role>(current);
  const { busy, error, run } = useAction();
  const [resetting, setResetting] = useState(false);
  const selectId = useId();
  const name = user.username;
  const builtIn = !user.provider || user.provider === 'arcgis';

  async function act(action: () => Promise<unknown>, message: string) {
    await run(async () => {
      await action();
      onChanged(message);
    });
  }

  function changeRole(event: FormEvent) {
    event.preventDefault();
    return act(() => updateUserRole(name, role), `Role of ${name} changed to ${formatRole(role)}.`);
  }

  const fullName = user.fullName || [user.firstName, user.lastName].filter(Boolean).join(' ');
  return (
    <tr data-testid={`user-row-${name}`}>
      <td data-label="Username">
        {name}
        {self && <span className="muted"> (you)</span>}
      </td>
      <td data-label="Name">{fullName || '—'}</td>
      <td data-label="Email" className="wrap">
        {user.email || '—'}
      </td>
      <td data-label="Status">
        <UserStatus user={user} />
      </td>
      <td data-label="Role">
        <form className="inline" onSubmit={changeRole}>
          <label htmlFor={selectId} className="visually-hidden">
            Role for {name}
          </label>
          <select id={selectId} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary" disabled={busy || role === current}>
            Change role
          </button>
        </form>
      </td>
      <td data-label="Actions">
        {self ? (
          <div className="row-actions">
            <Link className="button" to={pagePath('profile.html')}>
              My profile
            </Link>
          </div>
        ) : (
          <div className="row-actions">
            {user.locked && (
              <button
                type="button"
                disabled={busy}
                onClick={() => act(() => unlockUser(name), `${name} is unlocked.`)}
              >
                Unlock
              </button>
            )}
            {builtIn && (
              <button type="button" disabled={busy} onClick={() => setResetting(true)}>
                Reset password
              </button>
            )}
            {user.disabled ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => act(() => enableUser(name), `${name} is enabled.`)}
              >
                Enable
              </button>
            ) : (
              <button
                type="button"
                disabled={busy}
                onClick={() =>
                  act(
                    () => disableUser(name),
                    `${name} is disabled: their sessions and tokens stopped working.`,
                  )
                }
              >
                Disable
              </button>
            )}
            <ConfirmButton
              label="Delete"
              ariaLabel={`Delete ${name}`}
              question={`Delete ${name}?`}
              confirmLabel="Yes, delete"
              disabled={busy}
              onConfirm={() => act(() => deleteUser(name), `User ${name} deleted.`)}
            />
          </div>
        )}
        <ErrorAlert error={error} />
        {resetting && (
          <ResetPasswordDialog
            username={name}
            onClose={() => setResetting(false)}
            onReset={(message) => {
              setResetting(false);
              onChanged(message);
            }}
          />
        )}
      </td>
    </tr>
  );
}
