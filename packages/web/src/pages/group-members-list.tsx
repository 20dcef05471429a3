import type { GroupMembers } from '../api/types.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';

interface GroupMembersListProps {
  members: GroupMembers;
  /** Given when the caller manages the group: every member but the owner can be removed. */
  onRemove?(username: string): Promise<void>;
}

export function GroupMembersList({ members, onRemove }: GroupMembersListProps) {
  const names = [...new Set([members.owner, ...members.admins, ...members.users].filter(Boolean))];
  function roleOf(name: string): string {
    if (name === members.owner) return 'owner';
    if (members.admins.includes(name)) return 'manager';
    return 'member';
  }
  return (
    <ul className="list" data-testid="group-members">
      {names.map((name) => (
        <li key={name} className="list-row" data-testid={`group-member-${name}`}>
          <span>
            {name} <span className="muted">({roleOf(name)})</span>
          </span>
          {onRemove && name !== members.owner && (
            <ConfirmButton
              label="Remove"
              ariaLabel={`Remove ${name}`}
              question={`Remove ${name} from the group?`}
              confirmLabel="Yes, remove"
              onConfirm={() => onRemove(name)}
            />
          )}
        </li>
      ))}
    </ul>
  );
}
