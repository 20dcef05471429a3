/** The change-bus topics of the tokens module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** A signing key was created or retired. */
    'tokens.keys': { kid: string };
  }
}

export const KEYS_CHANGED = 'tokens.keys';
