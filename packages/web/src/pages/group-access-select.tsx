import type { NewGroup } from '../api/community.ts';
import { Field } from '../components/field.tsx';

type GroupAccess = NewGroup['access'];

/** "Who can see this group": members only, the organisation, or everyone. */
export function GroupAccessSelect({
  value,
  onChange,
}: {
  value: GroupAccess;
  onChange(v: GroupAccess): void;
}) {
  return (
    <Field label="Who can see this group">
      {(id) => (
        <select id={id} name="access" value={value} onChange={(e) => onChange(e.target.value as GroupAccess)}>
          <option value="private">Only members (private)</option>
          <option value="org">My organization</option>
          <option value="public">Everyone (public)</option>
        </select>
      )}
    </Field>
  );
}
