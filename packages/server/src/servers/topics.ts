/** The change-bus topics of the servers module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** A federated server was added, changed or removed: every node reloads its secrets. */
    'servers.changed': { id: string };
  }
}

export const SERVERS_CHANGED = 'servers.changed';
