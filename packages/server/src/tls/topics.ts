/** The change-bus topics of the tls module (see kernel/bus/topics.ts). */
declare module '../kernel/bus/topics.ts' {
  interface BusTopics {
    /** The HTTPS settings (certificate alias, SNI, protocols, ciphers, HSTS) changed. */
    'tls.settings': Record<string, never>;
  }
}

export const TLS_SETTINGS_TOPIC = 'tls.settings';
