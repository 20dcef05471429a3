import { useState } from 'react';
import { useAction } from '../lib/use-action.ts';

interface ConfirmButtonProps {
  /** The first button, e.g. "Delete". */
  label: string;
  /** Accessible name of the first button when the label alone is ambiguous in a table. */
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
  /** The button that takes the question back; "Cancel" unless that would be ambiguous. */
  dismissLabel?: string;
  disabled?: boolean;
  /** Reports its own errors: this button shows none. */
  onConfirm(): void | Promise<void>;
}

/** A dangerous action in two steps: the button, then "Are you sure?" with confirm and Cancel. */
export function ConfirmButton({
  label,
  ariaLabel,
  question,
  confirmLabel,
  dismissLabel = 'Cancel',
  disabled,
  onConfirm,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const { busy, run } = useAction();

  async function confirm() {
    await run(onConfirm);
    setAsking(false);
  }

  if (!asking) {
    return (
      <button
        type="button"
        className="danger"
        aria-label={ariaLabel}
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      {question}{' '}
      <button type="button" className="danger" disabled={busy} onClick={confirm}>
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {dismissLabel}
      </button>
    </span>
  );
}
