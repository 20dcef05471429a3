/** The change-bus topic of the GIS server's federation (see kernel/bus/topics.ts). */
declare module '../../kernel/bus/topics.ts' {
  interface BusTopics {
    /** The federation with a portal was made, updated or removed: every node reloads it. */
    'gis.federation': { portalId?: string };
  }
}

export const FEDERATION_TOPIC = 'gis.federation';
