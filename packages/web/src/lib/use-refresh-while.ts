import { useEffect } from 'react';
import type { AsyncState } from './use-async.ts';

/**
 * Reads `state` again `ms` after each answer (or error) while `active` holds: a page of running
 * jobs follows their progress, and stops asking once none runs.
 */
export function useRefreshWhile(state: AsyncState<unknown>, active: boolean, ms = 1000): void {
  const { data, error, reload } = state;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer (data, error) starts the next wait
  useEffect(() => {
    if (!active) return;
    const timer = setTimeout(reload, ms);
    return () => clearTimeout(timer);
  }, [active, data, error, reload, ms]);
}
