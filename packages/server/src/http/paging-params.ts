import { Type } from '@sinclair/typebox';

/**
 * Paging parameters of every listing. `start` is bounded so that no value (1e20, 2^63) reaches
 * a database OFFSET: beyond the bound the answer is a 400 that says so, never a 500.
 */
export const MAX_START = 2_147_483_647;

export const START_PARAM = Type.Optional(
  Type.Integer({ minimum: 1, maximum: MAX_START, description: '1-based index of the first result.' }),
);

export function numParam(max: number, what = 'Results per page') {
  return Type.Optional(Type.Integer({ minimum: 0, maximum: max, description: `${what} (at most ${max}).` }));
}

/** `num` of listings that answer at most `max` results and clamp a larger request to that. */
export function clampedNumParam(max: number) {
  return Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: MAX_START,
      description: `Results per page (default 10; more than ${max} gives ${max}).`,
    }),
  );
}
