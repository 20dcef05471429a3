import { defineError } from '../kernel/errors/meridian-error.ts';

export const TlsSettingInvalid = defineError({
  code: 'tls.setting_invalid',
  status: 400,
  summary: 'An HTTPS setting is invalid.',
  fix: 'Correct the value named in the message: protocols TLSv1.2 and/or TLSv1.3; cipher suites from the list in the message; an alias of a certificate that has a private key.',
});
