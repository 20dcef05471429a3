import { sql } from 'kysely';

/**
 * The planner settings a PostgreSQL search runs under, for its transaction only (select these
 * columns in its first statement):
 * - no sequential scan: with a word in a quarter of the items, the planner would read the whole
 *   table, each tsvector from TOAST, rather than the matches the GIN index lists (ten times more);
 * - no JIT compilation, which such cost estimates trigger and which takes longer than a search;
 * - no parallel workers: starting them costs more than the searches they would share.
 */
export const SEARCH_SETTINGS = sql`set_config('enable_seqscan', 'off', true) AS seqscan, set_config('jit', 'off', true) AS jit, set_config('max_parallel_workers_per_gather', '0', true) AS parallel`;
