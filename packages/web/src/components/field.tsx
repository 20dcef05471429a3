import { type ReactNode, useId } from 'react';

interface FieldProps {
  label: string;
  /** Renders the control; give it the `id` so that the label names exactly this control. */
  children: (id: string) => ReactNode;
}

/** A label tied to its control by id (the label's text alone is the accessible name). */
export function Field({ label, children }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
