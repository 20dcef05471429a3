import { generalPlan } from './plan-general.ts';
import type { Plan, PlanInput } from './plan-input.ts';
import { postgresTermsPlan } from './plan-postgres.ts';
import { sqliteTermsPlan } from './plan-sqlite.ts';

/** The plan of a search (plan-input.ts describes the paths and page strategies). */
export function planSearch(input: PlanInput): Plan {
  if (input.force?.path === 'general' || !input.text) return generalPlan(input);
  return input.dialect === 'postgres' ? postgresTermsPlan(input) : sqliteTermsPlan(input);
}
