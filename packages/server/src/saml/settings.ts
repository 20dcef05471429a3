import type { SettingDef } from '../kernel/config/setting-def.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_SKEW_SECONDS } from './validate/context.ts';

/** Limits of the SAML response validation. */
export const samlSettings: readonly SettingDef[] = [
  {
    key: 'saml.maxResponseBytes',
    env: 'MERIDIAN_SAML_MAX_RESPONSE_BYTES',
    type: 'integer',
    min: 16 * 1024,
    max: 16 * 1024 * 1024,
    default: DEFAULT_MAX_RESPONSE_BYTES,
    description:
      'Largest SAML response accepted at the assertion consumer service, in bytes of decoded XML; a larger one is refused (saml.response_too_large) before it is decoded or parsed.',
  },
  {
    key: 'saml.clockSkewSeconds',
    env: 'MERIDIAN_SAML_CLOCK_SKEW_SECONDS',
    type: 'integer',
    min: 0,
    max: 600,
    default: DEFAULT_SKEW_SECONDS,
    description:
      "Clock difference allowed between an IdP and the portal when checking an assertion's NotBefore and NotOnOrAfter.",
  },
];

declare module '../kernel/config/config.ts' {
  interface Config {
    saml: { maxResponseBytes: number; clockSkewSeconds: number };
  }
}
