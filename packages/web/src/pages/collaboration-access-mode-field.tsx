import { ACCESS_MODE_OPTIONS, type AccessMode } from '../api/collaborations.ts';
import { Field } from '../components/field.tsx';

interface AccessModeFieldProps {
  label: string;
  value: string;
  onChange(mode: AccessMode): void;
}

/** A labelled choice of access mode: send and receive, send only, receive only. */
export function AccessModeField({ label, value, onChange }: AccessModeFieldProps) {
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value as AccessMode)}>
          {ACCESS_MODE_OPTIONS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
