/** The change-bus topics of the GIS server's federation (see kernel/bus/topics.ts). */
declare module '../../kernel/bus/topics.ts' {
  interface BusTopics {
    /** The federation with a portal was made, updated or removed: every node reloads it. */
    'gis.federation': { portalId?: string };
    /** A portal call was written to the outbox by a process that does not deliver: serving nodes deliver it. */
    'gis.federation.outbox': { id: string };
  }
}

export const FEDERATION_TOPIC = 'gis.federation';
export const OUTBOX_TOPIC = 'gis.federation.outbox';
