import type { Access } from '../tables.ts';

/**
 * items.access as a small ordered code in the search index: anonymous callers see 3, signed-in
 * users 2 and up, plus their own items and 'shared' (1) items of their groups.
 */
export const VIS = { private: 0, shared: 1, org: 2, public: 3 } as const satisfies Record<Access, number>;

export function visOf(access: Access): number {
  return VIS[access];
}
