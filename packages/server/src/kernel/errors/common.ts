import { defineError } from './meridian-error.ts';

export const BadRequest = defineError({
  code: 'request.invalid',
  status: 400,
  summary: 'The request is malformed or a parameter is missing, unknown or of the wrong type.',
  fix: 'Correct the parameter named in the message and send the request again.',
});

export const NotFound = defineError({
  code: 'request.not_found',
  status: 400,
  summary: 'The resource does not exist or you do not have access to it.',
  fix: 'Check the identifier, and that you are signed in as a user who can see it.',
});

export const Forbidden = defineError({
  code: 'request.forbidden',
  status: 403,
  summary: 'You do not have permissions to access this resource or perform this operation.',
  fix: 'Sign in as a user with the required privilege, or ask an administrator to grant it.',
});

export const PayloadTooLarge = defineError({
  code: 'request.too_large',
  status: 413,
  arcgisCode: 400,
  summary: 'The request body or uploaded file is larger than the configured limit.',
  fix: 'Send a smaller file, or raise uploads.maxBytes / body.maxBytes (see docs/config.md).',
});

export const SslRequired = defineError({
  code: 'request.ssl_required',
  status: 403,
  summary: 'SSL Required.',
  fix: 'Use https:// for this resource.',
});

export const Internal = defineError({
  code: 'server.internal',
  status: 500,
  summary: 'An unexpected error occurred.',
  fix: 'Try again; if it persists, the portal log has the detail (search for the request id).',
});
