import { listOrgGroups } from '../api/community.ts';
import { useAsync } from '../lib/use-async.ts';
import { ErrorAlert } from './error-alert.tsx';
import { Field } from './field.tsx';

interface GroupSelectProps {
  label: string;
  value: string;
  onChange(groupId: string): void;
  /** The text of the "no group" choice; without it a group must be chosen. */
  noneLabel?: string;
  required?: boolean;
  className?: string;
}

/** A picker of the organization's groups (by title), for linking one to something. */
export function GroupSelect({ label, value, onChange, noneLabel, required, className }: GroupSelectProps) {
  const groups = useAsync(listOrgGroups, []);
  const list = groups.data ?? [];
  return (
    <Field label={label} className={className}>
      {(id) => (
        <>
          <select id={id} value={value} required={required} onChange={(e) => onChange(e.target.value)}>
            <option value="">{noneLabel ?? (groups.loading ? 'Loading groups…' : 'Choose a group')}</option>
            {list.map((g) => (
              <option key={g.id} value={g.id}>
                {g.title}
              </option>
            ))}
            {value && !list.some((g) => g.id === value) && <option value={value}>Group {value}</option>}
          </select>
          {!groups.loading && list.length === 0 && !groups.error && (
            <span className="hint">The organization has no groups yet: create one under Groups first.</span>
          )}
          <ErrorAlert error={groups.error} />
        </>
      )}
    </Field>
  );
}
