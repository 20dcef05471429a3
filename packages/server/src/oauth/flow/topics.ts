/** The change-bus topics of the OAuth flow (see kernel/bus/topics.ts). */
declare module '../../kernel/bus/topics.ts' {
  interface BusTopics {
    /** An OAuth grant was revoked: tokens issued under it stop working on every node. */
    'oauth.grant_revoked': { id: string };
  }
}

export const GRANT_REVOKED = 'oauth.grant_revoked';
