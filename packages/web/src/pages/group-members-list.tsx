import type { GroupMembers } from '../api/types.ts';

export function GroupMembersList({ members }: { members: GroupMembers }) {
  const names = [...new Set([members.owner, ...members.admins, ...members.users].filter(Boolean))];
  function roleOf(name: string): string {
    if (name === members.owner) return 'owner';
    if (members.admins.includes(name)) return 'manager';
    return 'member';
  }
  return (
    <ul className="list" data-testid="group-members">
      {names.map((name) => (
        <li key={name}>
          {name} <span className="muted">({roleOf(name)})</span>
        </li>
      ))}
    </ul>
  );
}
