interface SubmitOrCancelProps {
  /** The text of the submit button. */
  submit: string;
  /** Whether the submit button is disabled, e.g. while the form is busy. */
  disabled: boolean;
  /** The text of the other button. */
  cancel?: string;
  onCancel(): void;
}

/** The actions of a form that can be left without submitting it: its submit button, then Cancel. */
export function SubmitOrCancel({ submit, disabled, cancel = 'Cancel', onCancel }: SubmitOrCancelProps) {
  return (
    <div className="actions">
      <button type="submit" disabled={disabled}>
        {submit}
      </button>
      <button type="button" onClick={onCancel}>
        {cancel}
      </button>
    </div>
  );
}
