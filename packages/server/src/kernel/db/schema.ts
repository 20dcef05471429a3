import type { BusEventsTable } from '../bus/tables.ts';

/**
 * Every table, for Kysely's types. The kernel declares its own here; each module adds its
 * tables to this interface from its own tables.ts (TypeScript declaration merging), so that the
 * kernel imports no module and a module's tables are declared where the module lives.
 */
export interface Database {
  bus_events: BusEventsTable;
}
