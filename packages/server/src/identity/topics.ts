/** The change-bus topics of the identity module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** A user changed (role, token epoch, disabled, deleted); without id: every user. */
    'identity.user': { id?: string };
  }
}

export const USER_CHANGED = 'identity.user';
