import type { Generated } from 'kysely';

export interface BusEventsTable {
  id: Generated<number>;
  node: string;
  topic: string;
  data: string;
  created: number;
}
