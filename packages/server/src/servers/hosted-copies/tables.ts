/**
 * A service published on this portal's hosting server for a collaboration copy whose item has
 * not settled on it yet: recorded before the service is made, cleared once the received item
 * committed with its URL (settleCopy). A row left long after (the change never applied: the
 * item unshared meanwhile, the run failing after the publish) is a service nothing points at:
 * the collaboration sweep retires it.
 */
export interface HostedCopyServicesTable {
  /** The service's URL (normalised), as the copy's item would carry it. */
  url: string;
  server_id: string;
  /** When it was last published or found made for a copy (epoch ms). */
  created: number;
}

declare module '../../kernel/db/schema.ts' {
  interface Database {
    hosted_copy_services: HostedCopyServicesTable;
  }
}
