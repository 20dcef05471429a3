import type { InputHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { Field } from './field.tsx';

/** What a text control takes besides its label: its string value, and the attributes of the element. */
type TextProps<Attributes> = Omit<Attributes, 'id' | 'className' | 'value' | 'onChange'> & {
  label: string;
  /** Extra class names of the field (not the control), e.g. `wide`. */
  className?: string;
  value: string;
  onChange(value: string): void;
};

/** A Field whose control is an <input> holding a string: text, email, URL, password, number. */
export function TextField({
  label,
  className,
  value,
  onChange,
  ...input
}: TextProps<InputHTMLAttributes<HTMLInputElement>>) {
  return (
    <Field label={label} className={className}>
      {(id) => <input id={id} {...input} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

interface PasswordFieldProps {
  label: string;
  name?: string;
  /** Which password it is, for password managers. */
  autoComplete: 'current-password' | 'new-password' | 'off';
  /** True unless told otherwise. */
  required?: boolean;
  value: string;
  onChange(value: string): void;
}

/** A TextField of type password, required unless told otherwise. */
export function PasswordField({ required = true, ...props }: PasswordFieldProps) {
  return <TextField type="password" required={required} {...props} />;
}

/** A Field whose control is a <textarea>. */
export function TextAreaField({
  label,
  className,
  value,
  onChange,
  ...textarea
}: TextProps<TextareaHTMLAttributes<HTMLTextAreaElement>>) {
  return (
    <Field label={label} className={className}>
      {(id) => <textarea id={id} {...textarea} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
