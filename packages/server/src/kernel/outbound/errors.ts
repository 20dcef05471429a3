import { defineError } from '../errors/meridian-error.ts';

export const OutboundInvalidUrl = defineError({
  code: 'outbound.invalid_url',
  status: 400,
  summary: 'The URL cannot be fetched: it is malformed or uses a scheme other than https.',
  fix: 'Give a full https:// URL (http:// only where the administrator explicitly allowed it).',
});

export const OutboundAddressDenied = defineError({
  code: 'outbound.address_denied',
  status: 400,
  summary:
    'The URL resolves to an address Meridian is not allowed to connect to (loopback, private, link-local or reserved).',
  fix: 'Use the server’s public name, or allow the range: outbound.allowLoopback / outbound.allowPrivate (MERIDIAN_OUTBOUND_ALLOW_LOOPBACK, MERIDIAN_OUTBOUND_ALLOW_PRIVATE).',
});

export const OutboundTooLarge = defineError({
  code: 'outbound.response_too_large',
  status: 400,
  summary: 'The server’s answer is larger than the limit for this kind of fetch.',
  fix: 'Check the URL points at the expected document; raise the limit only if the document really is this large.',
});

export const OutboundTooManyRedirects = defineError({
  code: 'outbound.too_many_redirects',
  status: 400,
  summary: 'The server redirected too many times.',
  fix: 'Use the final URL directly.',
});

export const OutboundRedirectNotReplayable = defineError({
  code: 'outbound.redirect_not_replayable',
  status: 400,
  summary:
    'The server redirected a request whose body is streamed (a file upload): such a body is read once and cannot be sent again.',
  fix: 'Send the request to the URL the server redirected to (the message names it) directly.',
});

export const OutboundRequestBodyFailed = defineError({
  code: 'outbound.request_body_failed',
  status: 500,
  summary: 'The body of an outbound request (a file being uploaded) could not be read while it was sent.',
  fix: 'Check the file named in the message still exists, is readable and did not change during the upload, then try again.',
});
