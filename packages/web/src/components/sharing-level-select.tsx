import type { DefaultItemAccess } from '../api/types.ts';
import { SHARING_LEVELS } from '../lib/format.ts';
import { Field } from './field.tsx';

interface SharingLevelSelectProps {
  label: string;
  name?: string;
  value: DefaultItemAccess;
  onChange(value: DefaultItemAccess): void;
}

/** Who sees a new item: only its owner, the organisation, or everyone. */
export function SharingLevelSelect({ label, name, value, onChange }: SharingLevelSelectProps) {
  return (
    <Field label={label}>
      {(id) => (
        <select
          id={id}
          name={name}
          value={value}
          onChange={(e) => onChange(e.target.value as DefaultItemAccess)}
        >
          {SHARING_LEVELS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
