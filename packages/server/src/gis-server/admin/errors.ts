import { defineError } from '../../kernel/errors/meridian-error.ts';

/** Errors of the GIS server's administrator API (machines, sslcertificates, security/tokens). */

export const MachineNotFound = defineError({
  code: 'gis.machine_not_found',
  status: 404,
  summary: 'This server has no machine of that name.',
  fix: 'List the machines (GET arcgis/admin/machines) and use the machineName it answers: the host name the server is configured with (setting hostname).',
});

export const MachineEditInvalid = defineError({
  code: 'gis.machine_edit_invalid',
  status: 400,
  summary: 'A machine property cannot be changed this way.',
  fix: 'Change the web server certificate with webServerCertificateAlias; the administrator URL follows the settings hostname, https.port and publicUrl (change them in the configuration).',
});

export const CertificateParameterInvalid = defineError({
  code: 'gis.certificate_parameter_invalid',
  status: 400,
  summary: 'A parameter of the certificate request is not one Meridian can honour.',
  fix: 'Use keyalg RSA (keysize 2048, 3072 or 4096) or EC (keysize 256 or 384), and leave sigalg empty or give the algorithm named in the message.',
});

export const TokenConfigInvalid = defineError({
  code: 'gis.token_config_invalid',
  status: 400,
  summary: 'The token manager configuration is invalid.',
  fix: 'Send tokenManagerConfig as JSON: {"type":"BUILTIN","properties":{"longTimeout":1440,"shortTimeout":60}} with whole minutes from 1 to 20160, shortTimeout not above longTimeout.',
});

export const SharedKeyUnsupported = defineError({
  code: 'gis.shared_key_unsupported',
  status: 400,
  summary:
    "Meridian signs this server's tokens with its own keys (random, sealed at rest, rotated every 30 days); it takes no shared key.",
  fix: 'Nothing was changed. Send tokenManagerConfig without sharedKey (or with an empty one) to change the timeouts.',
});
