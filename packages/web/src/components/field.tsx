import { type ReactNode, useId } from 'react';

interface FieldProps {
  label: string;
  /** Extra class names, e.g. `wide` for a field that spans a whole form grid row. */
  className?: string;
  /** Renders the control; give it the `id` so that the label names exactly this control. */
  children: (id: string) => ReactNode;
}

/** A label tied to its control by id (the label's text alone is the accessible name). */
export function Field({ label, className, children }: FieldProps) {
  const id = useId();
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
