import type { PortalUser } from '../api/types.ts';

function time(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** Active, Disabled, or Locked (until when), in words and colour. */
export function UserStatus({ user }: { user: PortalUser }) {
  if (user.disabled)
    return (
      <span className="badge badge-bad" data-testid="user-status">
        Disabled
      </span>
    );
  if (user.locked)
    return (
      <span className="badge badge-warn" data-testid="user-status">
        {user.lockedUntil ? `Locked until ${time(user.lockedUntil)}` : 'Locked'}
      </span>
    );
  return (
    <span className="badge badge-ok" data-testid="user-status">
      Active
    </span>
  );
}
