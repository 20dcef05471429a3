import type { Kernel } from '../../kernel/kernel.ts';
import type { TrustAnchorsProvider } from '../../kernel/outbound/trust-anchors-provider.ts';
import { TRUST_STORE_TOPIC } from '../topics.ts';
import { trustStorePems } from './trust-store.ts';

/** A safety net only: changes arrive by notification; a missed one is corrected after this. */
const MAX_AGE_MS = 60_000;

/**
 * The trust store as the outbound client and the diagnosis read it: loaded once, kept in
 * memory, dropped when any node announces a change (pki.trust_store) or the change listener
 * reconnected (bus.resync). The next connection then loads the new store: no restart.
 */
export function createTrustAnchorsCache(ctx: Pick<Kernel, 'db' | 'bus'>): {
  provider: TrustAnchorsProvider;
  invalidate(): void;
} {
  let value: readonly string[] | undefined;
  let loadedAt = 0;
  let generation = 0;
  let loading: Promise<readonly string[]> | undefined;
  const invalidate = () => {
    generation++;
    value = undefined;
    loading = undefined;
  };
  ctx.bus.watch(TRUST_STORE_TOPIC, invalidate);
  const load = (): Promise<readonly string[]> => {
    const gen = generation;
    const p = trustStorePems(ctx).then(
      (pems) => {
        // A change announced while loading makes this result stale: keep it for this caller only.
        if (gen === generation) {
          value = pems;
          loadedAt = Date.now();
          loading = undefined;
        }
        return pems;
      },
      (err: unknown) => {
        if (gen === generation) loading = undefined;
        throw err;
      },
    );
    loading = p;
    return p;
  };
  const provider: TrustAnchorsProvider = () => {
    if (value && Date.now() - loadedAt < MAX_AGE_MS) return value;
    return loading ?? load();
  };
  return { provider, invalidate };
}
