import { defineError } from '../kernel/errors/meridian-error.ts';

export const InvalidToken = defineError({
  code: 'auth.invalid_token',
  status: 498,
  summary: 'Invalid token.',
  fix: 'The token is expired, revoked, signed by a retired key, or used from another client than the one it was issued for: get a new one from generateToken.',
});

export const TokenNotGenerated = defineError({
  code: 'auth.token_not_generated',
  status: 400,
  summary: 'Unable to generate token.',
  fix: 'Check the username and password; for client=referer send referer, for client=ip send ip.',
});

export const CsrfRequired = defineError({
  code: 'auth.csrf_required',
  status: 403,
  summary: 'A request signed in with the session cookie must carry the X-Meridian-CSRF header.',
  fix: 'Send the csrfToken from GET /sharing/rest/web/session as the X-Meridian-CSRF header, or authenticate with a token instead of the cookie.',
});
