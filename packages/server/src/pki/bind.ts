/** Binds a pki function's first argument (its context), for the module's API objects. */
import type { PkiContext } from './context.ts';

export type Bound<F> = F extends (ctx: never, ...args: infer A) => infer R ? (...args: A) => R : never;

export function bind<F extends (ctx: PkiContext, ...args: never[]) => unknown>(
  ctx: PkiContext,
  f: F,
): Bound<F> {
  return ((...args: never[]) => f(ctx, ...args)) as Bound<F>;
}
