import type { SettingDef } from '../kernel/config/setting-def.ts';

/** How long the host's change feed waits for a feature service's export before it says "not ready yet". */
export const collaborationSettings: readonly SettingDef[] = [
  {
    key: 'collaboration.feedExportWaitSeconds',
    env: 'MERIDIAN_COLLABORATION_FEED_EXPORT_WAIT_SECONDS',
    type: 'integer',
    min: 0,
    max: 20,
    default: 10,
    description:
      'Portal role: how long a partner\'s change-feed request waits for the export of a feature service it copies (copyFeatureServiceData). A longer export goes on in the background and the feed answers the changes before it with a "not ready yet" signal; the partner asks again shortly, and its next sync takes the item if the export is still running. The feed always answers within 27 seconds, below a partner\'s 30-second call limit.',
  },
];

declare module '../kernel/config/config.ts' {
  interface Config {
    collaboration: { feedExportWaitSeconds: number };
  }
}
