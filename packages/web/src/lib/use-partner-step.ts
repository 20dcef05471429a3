import { useState } from 'react';
import { type UntrustedPartner, untrustedPartnerOf } from '../api/collaboration-exchange.ts';
import { type ActionState, useAction } from './use-action.ts';

export interface PartnerStep extends ActionState {
  /** The partner's certificate this portal does not trust, from the last attempt; null otherwise. */
  untrusted: UntrustedPartner | null;
  /** Forgets the last attempt's refusal (another file was chosen). */
  reset(): void;
  /**
   * Runs one step of the trust exchange; an untrusted-certificate refusal becomes `untrusted`
   * (not an error), anything else `error`. Answers what `fn` answered, or null when it failed.
   */
  attempt<T>(fn: () => Promise<T>): Promise<T | null>;
}

/** A step of the trust exchange that may stop at the partner's certificate to confirm. */
export function usePartnerStep(): PartnerStep {
  const action = useAction();
  const [untrusted, setUntrusted] = useState<UntrustedPartner | null>(null);

  async function attempt<T>(fn: () => Promise<T>): Promise<T | null> {
    let answer: T | null = null;
    let refusal: unknown = null;
    await action.run(async () => {
      try {
        answer = await fn();
      } catch (err) {
        refusal = err;
        throw err;
      }
    });
    const diagnosis = untrustedPartnerOf(refusal);
    if (diagnosis) action.setError(null);
    setUntrusted(diagnosis);
    return answer;
  }

  function reset() {
    setUntrusted(null);
    action.setError(null);
  }

  return { ...action, untrusted, reset, attempt };
}
