import { useCallback, useState } from 'react';

export interface ActionState {
  /** True while `run` awaits its action (forms disable their submit button). */
  busy: boolean;
  /** What the last action threw, or a validation error the caller set; null when there is none. */
  error: unknown;
  setError(error: unknown): void;
  /** Clears the error, sets busy, awaits `fn`, records what it throws, clears busy; resolves whether `fn` succeeded. */
  run(fn: () => unknown): Promise<boolean>;
}

/** The busy flag and the error of a form's submit or a button's action. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(async (fn: () => unknown) => {
    setError(null);
    setBusy(true);
    try {
      await fn();
      return true;
    } catch (err) {
      setError(err);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  return { busy, error, setError, run };
}
