import { defineError } from '../kernel/errors/meridian-error.ts';

/** A handler answered a shape its route does not declare (a bug: the answer is not sent). */
export const ResponseInvalid = defineError({
  code: 'server.response_invalid',
  status: 500,
  summary: 'The portal built an answer that does not match the response schema of its route.',
  fix: 'This is a bug in Meridian: report it with the log line (it names the route and the field).',
});
