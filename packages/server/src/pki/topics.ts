/** The change-bus topics of the pki module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** The trust store changed: what was added, or the alias removed. */
    'pki.trust_store': { aliases?: string[]; removed?: string };
    /** A stored certificate (with its key) was added, replaced, renewed or deleted. */
    'pki.certificate': { alias?: string };
  }
}

export const TRUST_STORE_TOPIC = 'pki.trust_store';
export const CERTIFICATE_TOPIC = 'pki.certificate';
