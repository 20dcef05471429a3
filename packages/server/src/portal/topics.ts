/** The change-bus topics of the portal module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** The organisation settings (portals/self/update) changed. */
    'portal.settings': Record<string, never>;
  }
}

export const PORTAL_SETTINGS_TOPIC = 'portal.settings';
